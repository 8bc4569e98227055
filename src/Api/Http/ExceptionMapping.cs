using Microsoft.AspNetCore.Diagnostics;

namespace Alerts.Api.Http;

/// <summary>
/// Maps failures that reach the top: a grain refusing its input is the caller's 400; the cluster or its
/// storage failing is a 503 (nothing was acknowledged, retry with the same event ids).
/// </summary>
public sealed partial class ExceptionMapping(ILogger<ExceptionMapping> logger, IOptions<RequestDeadlineOptions> deadline) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemHttpResult result;
        if (exception is ArgumentException argument)
        {
            var (field, problem) = Refused(argument);
            // A quota reached (quota.users, …) is a conflict with what the organization holds, not a malformed request.
            result = Problems.Invalid(field, problem, field.StartsWith("quota.", StringComparison.Ordinal) ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }
        else if (exception is BadHttpRequestException badRequest)
        {
            result = Problems.Invalid("body", badRequest.Message, badRequest.StatusCode);
        }
        else
        {
            if (exception is ClusterDeadlineException) LogDeadline(logger, httpContext.Request.Path, exception.Message);
            else LogUnavailable(logger, exception, httpContext.Request.Path);
            httpContext.Response.Headers.RetryAfter = deadline.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            result = TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Alerts could not complete the request.",
                detail: "The cluster or its storage did not answer. Nothing was acknowledged; retry with the same event ids.");
        }
        await result.ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>
    /// A grain's refusal names the field first ("field problem", see <c>ProfileRules.Invalid</c>). Orleans carries the
    /// message across, not the parameter name, so the field is read from the message when the name is missing.
    /// </summary>
    private static (string Field, string Problem) Refused(ArgumentException argument)
    {
        var message = argument.Message;
        var suffix = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        if (suffix > 0) message = message[..suffix];
        var field = argument.ParamName;
        if (field is null)
        {
            var space = message.IndexOf(' ', StringComparison.Ordinal);
            field = space > 0 && !message[..space].Any(char.IsUpper) ? message[..space] : "body";
        }
        var problem = message.StartsWith(field + " ", StringComparison.Ordinal) ? message[(field.Length + 1)..] : message;
        return (field, problem);
    }

    [LoggerMessage(4002, LogLevel.Warning, "Request {Path} answered 503: {Reason}")]
    private static partial void LogDeadline(ILogger logger, string path, string reason);

    [LoggerMessage(4001, LogLevel.Error, "Request {Path} failed")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string path);
}
