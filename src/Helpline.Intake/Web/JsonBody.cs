using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Helpline.Intake.Web;

/// <summary>
/// Reads a JSON request body strictly and within a size limit. Every failure is a problem the
/// caller can act on (400); nothing is read past the limit.
/// </summary>
internal static class JsonBody
{
    /// <summary>
    /// Reads and validates a request body: the value, or the 400 to answer with (unreadable body or
    /// invalid values), counted by reason. <paramref name="subject"/> names it in titles ("The call").
    /// </summary>
    public static async Task<ReadBody<T>> ReadValidAsync<T>(HttpRequest request, int maxBytes, string subject, IntakeMetrics metrics, DateTimeOffset now, CancellationToken cancellationToken)
        where T : class, IValidatedRequest
    {
        var (body, problem) = await ReadAsync<T>(request, maxBytes, cancellationToken);
        if (body is null)
        {
            metrics.RequestRejected("unreadable");
            return new(null, TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: $"{subject} could not be read."), null);
        }

        var errors = body.Validate(now);
        if (errors.Count > 0)
        {
            metrics.RequestRejected("invalid");
            return new(null, null, TypedResults.ValidationProblem(errors, title: $"{subject} is not valid."));
        }

        return new(body, null, null);
    }

    /// <summary>
    /// Declares, for the OpenAPI document, the JSON body the endpoint reads with <see cref="ReadValidAsync{T}"/>
    /// (rather than with <c>Accepts</c>, so that a wrong content type is a 400 problem like every other
    /// unreadable body, not a bare 415 from routing), its 400 and the other problems it answers with.
    /// </summary>
    public static RouteHandlerBuilder ReadsJson<T>(this RouteHandlerBuilder endpoint, params int[] problems)
    {
        endpoint.AddOpenApiOperationTransformer(DescribeAsync<T>).ProducesProblem(StatusCodes.Status400BadRequest);
        foreach (var status in problems)
        {
            endpoint.ProducesProblem(status);
        }

        return endpoint;
    }

    private static async Task DescribeAsync<T>(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken) =>
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken) },
            },
        };

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    private static async Task<(T? Value, string? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (!RequestBody.IsUtf8(request, "application/json"))
        {
            return (null, "The body must be JSON: send Content-Type: application/json (UTF-8).");
        }

        if (await RequestBody.ReadAsync(request, maxBytes, cancellationToken) is not { } body)
        {
            return (null, $"The body is larger than {maxBytes} bytes.");
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, Options);
            return value is null ? (null, "The body must be a JSON object.") : (value, null);
        }
        catch (JsonException exception)
        {
            // System.Text.Json's messages name properties and paths, not the values that were sent.
            return (null, exception.Message);
        }
    }
}

/// <summary>A request body that checks its own values (time-dependent rules get the current time).</summary>
internal interface IValidatedRequest
{
    Dictionary<string, string[]> Validate(DateTimeOffset now);
}

/// <summary>What <see cref="JsonBody.ReadValidAsync{T}"/> read: exactly one of the three is set.</summary>
internal sealed record ReadBody<T>(T? Value, ProblemHttpResult? Unreadable, ValidationProblem? Invalid)
    where T : class;
