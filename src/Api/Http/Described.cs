namespace Alerts.Api.Http;

/// <summary>
/// What the OpenAPI document says about an endpoint: its request and response bodies (named records) and the problems it
/// may answer. Handlers read bodies themselves (to name the failing field), so the document learns them from here.
/// </summary>
public static class Described
{
    /// <summary>The problems any key-protected endpoint may answer: 400 (field), 401, 403 (role), 404, 503 (cluster).</summary>
    private static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    public static RouteHandlerBuilder Returns<TResponse>(this RouteHandlerBuilder builder, int status = StatusCodes.Status200OK) =>
        builder.Produces<TResponse>(status, "application/json").Problems();

    public static RouteHandlerBuilder ReturnsNothing(this RouteHandlerBuilder builder) =>
        builder.Produces(StatusCodes.Status204NoContent).Problems();

    /// <summary>A JSON request body; a body that is not JSON is a 415, one over 4 MiB a 413.</summary>
    public static RouteHandlerBuilder Takes<TRequest>(this RouteHandlerBuilder builder) where TRequest : notnull => builder
        .Accepts<TRequest>("application/json")
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
