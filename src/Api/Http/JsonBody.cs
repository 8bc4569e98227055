using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using System.Text.RegularExpressions;

namespace Alerts.Api.Http;

/// <summary>
/// Reads a request body into a DTO and turns every way it can be wrong into a 400 that names the field:
/// not JSON, a value of the wrong type, an unknown field.
/// </summary>
public static partial class JsonBody
{
    public const long MaxBytes = 4 * 1024 * 1024;

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Invalid("body", "must be JSON (Content-Type: application/json)", StatusCodes.Status415UnsupportedMediaType));
        if (request.ContentLength > MaxBytes) return (null, TooLarge());
        // The same limit for a chunked body, which has no Content-Length: the server stops reading past it.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBytes;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, ApiJson.Options, cancellationToken);
            return value is null ? (null, Problems.Invalid("body", "must be a JSON object")) : (value, null);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (JsonException exception) when (IsValueProblem(exception))
        {
            return (null, Problems.Invalid(FieldOf(exception), Describe(exception)));
        }
        catch (JsonException exception)
        {
            return (null, Problems.Invalid("body", $"is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1})"));
        }
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Invalid("body", $"must be at most {MaxBytes / (1024 * 1024)} MiB", StatusCodes.Status413PayloadTooLarge);

    /// <summary>A well-formed document with a wrong value, an unknown or a repeated field, as opposed to broken JSON.</summary>
    private static bool IsValueProblem(JsonException exception) =>
        UnknownProperty().IsMatch(exception.Message) || IsDuplicate(exception)
        || exception.Message.Contains("could not be converted", StringComparison.Ordinal);

    private static bool IsDuplicate(JsonException exception) => exception.Message.StartsWith("Duplicate property", StringComparison.Ordinal);

    /// <summary>"$.settings.integration_notifications.outgoing_integrations.failure_limit" → "settings.….failure_limit".</summary>
    private static string FieldOf(JsonException exception)
    {
        var path = exception.Path ?? "$";
        var field = path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        // An unknown property's name is in the message; the path may or may not include it already.
        if (UnknownProperty().Match(exception.Message) is { Success: true } match)
        {
            var name = match.Groups[1].Value;
            if (field != name && !field.EndsWith($".{name}", StringComparison.Ordinal))
                field = field.Length == 0 ? name : $"{field}.{name}";
        }
        return field.Length == 0 ? "body" : field;
    }

    private static string Describe(JsonException exception) =>
        UnknownProperty().IsMatch(exception.Message) ? "is not a known field"
        : IsDuplicate(exception) ? "appears more than once in the same object"
        : "has the wrong type or format";

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnknownProperty();
}
