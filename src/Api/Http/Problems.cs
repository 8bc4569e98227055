namespace Alerts.Api.Http;

/// <summary>RFC 9457 problem details; failing fields are listed under <c>errors</c>, each message starting with the field.</summary>
public static class Problems
{
    public static IResult Invalid(string field, string problem, int status = StatusCodes.Status400BadRequest) =>
        Invalid(new Dictionary<string, string[]> { [field] = [$"{field} {problem}"] }, status);

    public static IResult Invalid((string Field, string Problem) failure) => Invalid(failure.Field, failure.Problem);

    public static IResult Invalid(IDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest)
    {
        var detail = string.Join("; ", errors.Values.SelectMany(messages => messages));
        return status == StatusCodes.Status400BadRequest
            ? TypedResults.ValidationProblem(errors, detail: detail, title: "The request is invalid.")
            : TypedResults.Problem(detail: detail, statusCode: status, title: "The request was refused.",
                extensions: new Dictionary<string, object?> { ["errors"] = errors });
    }

    public static IResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}.", detail: $"{what} '{id}' does not exist");
}
