namespace Alerts.Contracts;

[GenerateSerializer, Alias("alerts.attempt-outcome")]
public enum AttemptOutcome
{
    Success = 0,
    Error = 1,
}

/// <summary>
/// One integration attempt as a platform reports it. <see cref="EventId"/> makes reporting idempotent:
/// the same id reported again for the same integration is not counted again.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.attempt")]
public sealed record Attempt(
    [property: Id(0)] string EventId,
    [property: Id(1)] AttemptOutcome Outcome,
    [property: Id(2)] DateTimeOffset? OccurredAt = null,
    [property: Id(3)] int? StatusCode = null,
    [property: Id(4)] string? Message = null,
    [property: Id(5)] string? Flow = null,
    [property: Id(6)] string? Service = null,
    [property: Id(7)] string? TraceKey = null);

[GenerateSerializer, Alias("alerts.record-status")]
public enum RecordStatus
{
    /// <summary>Durably recorded: every accepted attempt will be counted, even if a silo dies now.</summary>
    Recorded = 0,

    /// <summary>The integration was never registered (PUT it first); nothing was recorded.</summary>
    UnknownIntegration = 1,

    /// <summary>An attempt failed validation; nothing was recorded. <see cref="RecordResult.Problem"/> says which.</summary>
    Invalid = 2,
}

[GenerateSerializer, Immutable, Alias("alerts.record-result")]
public sealed record RecordResult(
    [property: Id(0)] RecordStatus Status,
    [property: Id(1)] int Accepted,
    [property: Id(2)] int Duplicates,
    [property: Id(3)] string? Problem = null)
{
    public static RecordResult UnknownIntegration(string integrationId) =>
        new(RecordStatus.UnknownIntegration, 0, 0, $"integration '{integrationId}' is not registered");

    public static RecordResult Invalid(string problem) => new(RecordStatus.Invalid, 0, 0, problem);
}

/// <summary>Limits on what a report may carry; the gateway and the grains check the same rules.</summary>
public static class AttemptRules
{
    public const int MaxBatch = 1000;
    public const int MaxEventIdLength = 128;
    public const int MaxTraceKeyLength = 128;
    public const int MaxMessageLength = 4000;
    public const int MaxNameLength = 200;

    /// <summary>Returns the snake_case field name and problem of the first invalid field, or null when valid.</summary>
    public static (string Field, string Problem)? Check(Attempt attempt)
    {
        if (string.IsNullOrWhiteSpace(attempt.EventId)) return ("event_id", "is required");
        if (attempt.EventId.Length > MaxEventIdLength) return ("event_id", $"must be at most {MaxEventIdLength} characters");
        if (!Enum.IsDefined(attempt.Outcome)) return ("outcome", "must be \"error\" or \"success\"");
        if (attempt.StatusCode is < 0 or > 99999) return ("status_code", "must be between 0 and 99999");
        if (attempt.Message?.Length > MaxMessageLength) return ("message", $"must be at most {MaxMessageLength} characters");
        if (attempt.Flow?.Length > MaxNameLength) return ("flow", $"must be at most {MaxNameLength} characters");
        if (attempt.Service?.Length > MaxNameLength) return ("service", $"must be at most {MaxNameLength} characters");
        if (attempt.TraceKey?.Length > MaxTraceKeyLength) return ("trace_key", $"must be at most {MaxTraceKeyLength} characters");
        return null;
    }
}
