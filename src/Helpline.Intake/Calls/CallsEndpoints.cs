using Helpline.Contracts;
using Helpline.Intake;
using Helpline.Intake.Calls;
using Helpline.Intake.Data;
using Helpline.Intake.Outbox;
using Helpline.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>The provider-neutral call API: a PBX bridge, a load generator or a test announces calls here.</summary>
internal static partial class CallsEndpoints
{
    public const string Provider = "api";
    public const int MaxBodyBytes = 16 * 1024;

    public static IHostApplicationBuilder AddCalls(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CallerIdentityOptions>()
            .BindConfiguration(CallerIdentityOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<CallerKeyHasher>();
        return builder;
    }

    /// <remarks>
    /// The body is read by <see cref="JsonBody"/> rather than declared with <c>Accepts</c>, so that a
    /// wrong content type is a 400 problem like every other unreadable body (not a bare 415 from routing);
    /// the OpenAPI request body is described by hand.
    /// </remarks>
    public static WebApplication MapCalls(this WebApplication app)
    {
        var calls = app.MapGroup("/api/calls").WithTags("Calls");
        calls.MapPost("/", ReceiveCall)
            .WithName("ReceiveCall")
            .WithSummary("Announce an incoming call")
            .WithDescription("Stores the call and queues it for Console. 202 is sent only once the call is committed; the same providerCallId again answers the same contactId.")
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(CallRequest), null, cancellationToken) },
                    },
                })
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Results<Accepted<CallAccepted>, ProblemHttpResult, ValidationProblem>> ReceiveCall(
        HttpRequest request,
        IntakeDbContext db,
        CallerKeyHasher hasher,
        OutboxSignal outbox,
        IntakeMetrics metrics,
        TimeProvider time,
        ILogger<CallRequest> logger,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CallRequest>(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            metrics.RequestRejected("unreadable");
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "The call could not be read.");
        }

        var now = time.GetUtcNow();
        var errors = body.Validate(now);
        if (errors.Count > 0)
        {
            metrics.RequestRejected("invalid");
            return TypedResults.ValidationProblem(errors, title: "The call is not valid.");
        }

        var call = new InboundCall
        {
            Id = Guid.CreateVersion7(now),
            Provider = Provider,
            ProviderCallId = body.ProviderCallId,
            CallerKey = hasher.KeyFor(body.CallerNumber),
            DialledNumber = body.DialledNumber,
            ReceivedAt = body.ReceivedAt ?? now,
            StoredAt = now,
        };
        db.InboundCalls.Add(call);
        db.OutboxMessages.Add(OutboxMessage.For(new ContactReceived
        {
            ContactId = call.Id,
            Channel = ContactChannel.Call,
            ProviderReference = call.ProviderCallId,
            CallerKey = call.CallerKey,
            ReceivedAt = call.ReceivedAt,
        }, now));

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            var existing = await db.InboundCalls
                .Where(c => c.Provider == Provider && c.ProviderCallId == body.ProviderCallId)
                .Select(c => c.Id)
                .SingleAsync(cancellationToken);
            metrics.DuplicateCall(Provider);
            LogDuplicate(logger, existing);
            return TypedResults.Accepted((string?)null, new CallAccepted(existing, Duplicate: true));
        }

        outbox.Notify();
        metrics.CallReceived(Provider);
        LogReceived(logger, call.Id, call.CallerKey is null);
        return TypedResults.Accepted((string?)null, new CallAccepted(call.Id, Duplicate: false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call stored as contact {ContactId} (withheld: {Withheld})")]
    private static partial void LogReceived(ILogger logger, Guid contactId, bool withheld);

    [LoggerMessage(Level = LogLevel.Information, Message = "Repeated provider call id answered with contact {ContactId}")]
    private static partial void LogDuplicate(ILogger logger, Guid contactId);
}

/// <summary>Answer to <c>POST /api/calls</c>: the contact id, and whether the call was already known.</summary>
public sealed record CallAccepted(Guid ContactId, bool Duplicate);
