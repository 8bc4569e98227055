namespace Alerts.Api.Http;

/// <summary>
/// What the OpenAPI document says about an endpoint beyond its handler's <c>Results&lt;…&gt;</c> type (which names the success
/// response): its request body — handlers read bodies themselves, to name the failing field — and the problems it may
/// answer.
/// </summary>
public static class Described
{
    /// <summary>The problems any key-protected endpoint may answer: 400 (field), 401, 403 (role), 404, 503 (cluster).</summary>
    public static RouteHandlerBuilder Refusals(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>A JSON request body; a body that is not JSON is a 415, one over 4 MiB a 413.</summary>
    public static RouteHandlerBuilder Takes<TRequest>(this RouteHandlerBuilder builder) where TRequest : notnull => builder
        .Accepts<TRequest>("application/json")
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
