using Helpline.ServiceDefaults.Faults;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Helpline.ServiceDefaults;

/// <summary>
/// Turns any exception that escapes an endpoint into RFC 7807 problem details. Bad requests the
/// framework detects (unreadable body, body too large) are the caller's fault and answer 400; a
/// dependency that is down or busy (<see cref="TransientFaults"/>) is a 503 with <c>Retry-After</c>, so
/// the caller (a provider that retries) tries again; anything else is a 500 that says nothing about the
/// request's content.
/// </summary>
internal sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read."),
            _ when TransientFaults.IsTransient(exception) => (StatusCodes.Status503ServiceUnavailable, "The service is briefly unavailable; try again."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
            LogUnavailable(logger, exception.GetType().Name, httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (status >= 500)
        {
            LogUnhandled(logger, exception.GetType().Name, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title },
        }).ConfigureAwait(false);
    }

    private const string RetryAfterSeconds = "2";

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ExceptionType} on {Method} {Path}: a dependency is unavailable; answered 503")]
    private static partial void LogUnavailable(ILogger logger, string exceptionType, string method, PathString path);

    // Only the exception type is logged: messages can echo request content.
    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string exceptionType, string method, PathString path);
}
