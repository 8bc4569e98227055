namespace Alerts.Api.Http;

/// <summary>A request body turned into a domain value, or the first field that stopped it.</summary>
public readonly record struct Parsed<T>(T? Value, (string Field, string Problem)? Problem)
{
    public static implicit operator Parsed<T>(Failure failure) => new(default, (failure.Field, failure.Problem));
}

/// <summary>A field and what is wrong with it; converts to any <see cref="Parsed{T}"/>.</summary>
public readonly record struct Failure(string Field, string Problem)
{
    public static Failure Of((string Field, string Problem) problem) => new(problem.Field, problem.Problem);
}
