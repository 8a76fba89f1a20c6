using Helpline.Console.Records;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Directory;

/// <summary>What the advisor sends to look a postcode up (in the body: a postcode is never put in a URL).</summary>
internal sealed record PostcodeQuery(string? Postcode);

internal sealed record PostcodeLookupState(bool Enabled);

/// <summary>The area found for a postcode, ready for the record's area (outward code only).</summary>
internal sealed record PostcodeAreaView(string OutwardCode, string? LocalAuthorityCode, string? LocalAuthorityName, string? PoliceForceCode, string? PoliceForceName);

internal static partial class PostcodeEndpoints
{
    public static Ok<PostcodeLookupState> GetState(IOptions<PostcodeLookupOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TypedResults.Ok(new PostcodeLookupState(options.Value.Enabled));
    }

    public static async Task<Results<Ok<PostcodeAreaView>, ValidationProblem, ProblemHttpResult>> Lookup(
        PostcodeQuery query,
        IOptions<PostcodeLookupOptions> options,
        IPostcodeLookup lookup,
        AreaDirectory areas,
        ILogger<PostcodeQuery> logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(areas);
        if (!options.Value.Enabled)
        {
            return TypedResults.Problem("Postcode look-up is turned off here: choose the local authority or police force by name.", statusCode: StatusCodes.Status404NotFound, title: "No postcode look-up.");
        }

        if (Postcodes.Normalise(query.Postcode) is not { } postcode)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["postcode"] = ["Enter a full postcode, such as BN1 1AA."] }, title: "That is not a postcode.");
        }

        PostcodeArea? found;
        try
        {
            found = await lookup.LookupAsync(postcode, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, e.GetType().Name);
            return TypedResults.Problem("The postcode look-up did not answer: choose the area by name.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Postcode look-up unavailable.");
        }

        if (found is null || (found.LocalAuthorityCode is null && found.PoliceForceCode is null))
        {
            return TypedResults.Problem("The postcode was not found in England or Wales: choose the area by name.", statusCode: StatusCodes.Status404NotFound, title: "Postcode not found.");
        }

        var lad = found.LocalAuthorityCode is { } ladCode ? areas.LocalAuthority(ladCode) : null;
        var pfa = found.PoliceForceCode is { } pfaCode ? areas.PoliceForce(pfaCode) : null;
        return TypedResults.Ok(new PostcodeAreaView(found.OutwardCode, lad?.Code, lad?.Name, pfa?.Code, pfa?.Name));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Postcode look-up failed ({Error})")]
    private static partial void LogUnavailable(ILogger logger, string error);
}
