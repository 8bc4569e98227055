namespace Alerts.Api.Http;

/// <summary>RFC 9457 problem details; failing fields are listed under <c>errors</c>, each message starting with the field.</summary>
public static class Problems
{
    public static ProblemHttpResult Invalid(string field, string problem, int status = StatusCodes.Status400BadRequest) =>
        Invalid(new Dictionary<string, string[]> { [field] = [$"{field} {problem}"] }, status);

    public static ProblemHttpResult Invalid((string Field, string Problem) failure) => Invalid(failure.Field, failure.Problem);

    /// <summary>
    /// One result type for every refusal, so handlers declare <c>Results&lt;Ok&lt;T&gt;, ProblemHttpResult&gt;</c>; the failing
    /// fields are under <c>errors</c>, as in a validation problem document.
    /// </summary>
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest)
    {
        var detail = string.Join("; ", errors.Values.SelectMany(messages => messages));
        return TypedResults.Problem(detail: detail, statusCode: status,
            title: status == StatusCodes.Status400BadRequest ? "The request is invalid." : "The request was refused.",
            extensions: new Dictionary<string, object?> { ["errors"] = errors });
    }

    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}.", detail: $"{what} '{id}' does not exist");
}
