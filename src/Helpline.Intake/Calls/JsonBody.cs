using Microsoft.AspNetCore.Http.HttpResults;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Helpline.Intake.Calls;

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

    /// <summary>Describes a body read by <see cref="JsonBody"/> in the OpenAPI document (an operation transformer).</summary>
    public static async Task Describe<T>(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken) =>
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

    public static async Task<(T? Value, string? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.CharSet is { } charset && !string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, "The body must be JSON: send Content-Type: application/json (UTF-8).");
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, $"The body is larger than {maxBytes} bytes.");
        }

        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > maxBytes)
        {
            return (null, $"The body is larger than {maxBytes} bytes.");
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), Options);
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
