using Microsoft.AspNetCore.Diagnostics;

namespace Alerts.Api.Http;

/// <summary>
/// Maps failures that reach the top: a grain refusing its input is the caller's 400; the cluster or its
/// storage failing is a 503 (nothing was acknowledged, retry with the same event ids).
/// </summary>
public sealed partial class ExceptionMapping(ILogger<ExceptionMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        IResult result;
        if (exception is ArgumentException argument)
        {
            result = Problems.Invalid(argument.ParamName ?? "body", argument.Message);
        }
        else if (exception is BadHttpRequestException badRequest)
        {
            result = Problems.Invalid("body", badRequest.Message, badRequest.StatusCode);
        }
        else
        {
            LogUnavailable(logger, exception, httpContext.Request.Path);
            result = TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Alerts could not complete the request.",
                detail: "The cluster or its storage did not answer. Nothing was acknowledged; retry with the same event ids.");
        }
        await result.ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(4001, LogLevel.Error, "Request {Path} failed")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string path);
}
