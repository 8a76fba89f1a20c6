using System.Security.Claims;
using Helpline.Console.Accounts;
using Helpline.Console.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpline.Console.Referrals;

/// <summary>
/// The referral endpoints' handlers (routes and policies in <see cref="Microsoft.Extensions.Hosting.ReferralExtensions"/>).
/// The contact record's access rules apply: an advisor acts on contacts assigned to them or that they
/// completed; supervisors read every contact's referrals and may withdraw consent and move referrals on.
/// </summary>
internal static class ReferralEndpoints
{
    public static async Task<Results<Ok<ContactReferrals>, NotFound>> GetForContact(Guid contactId, ClaimsPrincipal user, ContactRecords records, ReferralDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(desk);
        return await records.FindAsync(contactId, user, write: false, cancellationToken) is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(await desk.ForContactAsync(contactId, cancellationToken));
    }

    public static async Task<Results<Created<ConsentView>, NotFound, ValidationProblem>> GiveConsent(
        Guid contactId, ConsentRequest request, ClaimsPrincipal user, ContactRecords records, ReferralDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(desk);
        if (await records.FindAsync(contactId, user, write: true, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var result = await desk.GiveConsentAsync(contactId, request, ContactRecords.UserId(user), cancellationToken);
        return result.Value is { } consent
            ? TypedResults.Created($"/api/contacts/{contactId}/referrals", consent)
            : TypedResults.ValidationProblem(result.Errors!, title: "The consent is not valid.");
    }

    public static async Task<Results<Ok<ConsentView>, NotFound>> WithdrawConsent(
        Guid contactId, Guid consentId, ClaimsPrincipal user, ContactRecords records, ReferralDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        if (!await MayChangeAsync(contactId, user, records, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var result = await desk.WithdrawConsentAsync(contactId, consentId, ContactRecords.UserId(user), cancellationToken);
        return result.Value is { } consent ? TypedResults.Ok(consent) : TypedResults.NotFound();
    }

    public static async Task<Results<Ok<ReferralPreview>, NotFound, ValidationProblem>> Preview(
        Guid contactId, ReferralRequest request, ClaimsPrincipal user, ContactRecords records, ReferralDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(desk);
        if (await records.FindAsync(contactId, user, write: true, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var result = await desk.PreviewAsync(contactId, request, cancellationToken);
        return result.Value is { } preview ? TypedResults.Ok(preview) : TypedResults.ValidationProblem(result.Errors!, title: "The referral is not valid.");
    }

    public static async Task<Results<Created<ReferralView>, NotFound, ValidationProblem, ProblemHttpResult>> Make(
        Guid contactId, ReferralRequest request, ClaimsPrincipal user, ContactRecords records, ReferralDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(desk);
        if (await records.FindAsync(contactId, user, write: true, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var result = await desk.MakeAsync(contactId, request, ContactRecords.UserId(user), cancellationToken);
        return result switch
        {
            { Value: { } referral } => TypedResults.Created($"/api/contacts/{contactId}/referrals", referral),
            { Errors: { } errors } => TypedResults.ValidationProblem(errors, title: "The referral is not valid."),
            { Refusals: { } refusals } => TypedResults.Problem(
                string.Join(" ", refusals),
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The referral cannot be made.",
                extensions: new Dictionary<string, object?> { ["refusals"] = refusals }),
            _ => TypedResults.Problem(result.Conflict, statusCode: StatusCodes.Status409Conflict, title: "The referral is already open."),
        };
    }

    public static async Task<Results<Ok<ReferralView>, NotFound, ValidationProblem, ProblemHttpResult>> ChangeStatus(
        Guid referralId, StatusChange change, ClaimsPrincipal user, ContactRecords records, ReferralDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        if (await desk.FindAsync(referralId, cancellationToken) is not { } referral || !await MayChangeAsync(referral.ContactId, user, records, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var result = await desk.ChangeStatusAsync(referralId, change, ContactRecords.UserId(user), cancellationToken);
        return result switch
        {
            { Value: { } view } => TypedResults.Ok(view),
            { Errors: { } errors } => TypedResults.ValidationProblem(errors, title: "The change is not valid."),
            { Missing: true } => TypedResults.NotFound(),
            _ => TypedResults.Problem(result.Conflict, statusCode: StatusCodes.Status409Conflict, title: "The referral cannot make that step."),
        };
    }

    public static async Task<Ok<IReadOnlyList<ReferralView>>> ListOpen(ReferralDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        return TypedResults.Ok(await desk.OpenAsync(cancellationToken));
    }

    /// <summary>Supervisors may act on any contact's referrals; an advisor on those of contacts they may write to.</summary>
    private static async Task<bool> MayChangeAsync(Guid contactId, ClaimsPrincipal user, ContactRecords records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        return await records.FindAsync(contactId, user, write: !user.IsInRole(Roles.Supervisor), cancellationToken) is not null;
    }
}
