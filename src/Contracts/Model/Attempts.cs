namespace Alerts.Contracts;

[GenerateSerializer, Alias("alerts.attempt-outcome")]
public enum AttemptOutcome
{
    Success = 0,
    Error = 1,
}

/// <summary>
/// One integration attempt as a platform reports it. <see cref="EventId"/> makes reporting idempotent:
/// the same id reported again for the same integration is not counted again. An error with <see cref="Retrying"/> set
/// is held for the retry window (SPEC §3.2): a success for the same flow and trace key within it resolves it silently.
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
    [property: Id(7)] string? TraceKey = null,
    [property: Id(8)] bool Retrying = false);

/// <summary>An attempt of one of the organization's integrations: what <see cref="IOrganizationReports"/> takes.</summary>
[GenerateSerializer, Immutable, Alias("alerts.report")]
public sealed record Report(
    [property: Id(0)] string IntegrationId,
    [property: Id(1)] Attempt Attempt);

[GenerateSerializer, Alias("alerts.record-status")]
public enum RecordStatus
{
    /// <summary>Durably recorded: every accepted attempt will be counted, even if a silo dies now.</summary>
    Recorded = 0,

    /// <summary>The integration was never registered (PUT it first); nothing was recorded.</summary>
    UnknownIntegration = 1,

    /// <summary>An attempt failed validation; nothing was recorded. <see cref="RecordResult.Problem"/> says which.</summary>
    Invalid = 2,

    /// <summary>The organization was never created; nothing was recorded.</summary>
    UnknownOrganization = 3,
}

/// <summary>
/// What became of one batch. When it was refused, <see cref="Index"/> is the position of the first offending
/// attempt in the batch and <see cref="Field"/> its field (snake_case, as the HTTP API names it).
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.record-result")]
public sealed record RecordResult(
    [property: Id(0)] RecordStatus Status,
    [property: Id(1)] int Accepted,
    [property: Id(2)] int Duplicates,
    [property: Id(3)] string? Problem = null,
    [property: Id(4)] int? Index = null,
    [property: Id(5)] string? Field = null)
{
    public static RecordResult UnknownIntegration(int index, string integrationId) =>
        new(RecordStatus.UnknownIntegration, 0, 0, $"integration '{integrationId}' is not registered", index, "integration_id");

    public static RecordResult UnknownOrganization(string orgId) =>
        new(RecordStatus.UnknownOrganization, 0, 0, $"organization '{orgId}' does not exist");

    public static RecordResult Invalid(string problem, int? index = null, string? field = null) =>
        new(RecordStatus.Invalid, 0, 0, problem, index, field);
}

/// <summary>Limits on what a report may carry; the gateway and the grains check the same rules.</summary>
public static class AttemptRules
{
    public const int MaxBatch = 1000;
    public const int MaxEventIdLength = 128;
    public const int MaxTraceKeyLength = 128;
    public const int MaxMessageLength = 4000;
    public const int MaxNameLength = 200;

    /// <summary>Nothing may have occurred before this: Azure's dates start at 1601, and Alerts' history at 1970.</summary>
    public static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;

    /// <summary>Returns the snake_case field name and problem of the first invalid field, or null when valid.</summary>
    public static (string Field, string Problem)? Check(Attempt attempt)
    {
        if (string.IsNullOrWhiteSpace(attempt.EventId)) return ("event_id", "is required");
        if (attempt.EventId.Length > MaxEventIdLength) return ("event_id", $"must be at most {MaxEventIdLength} characters");
        if (!Enum.IsDefined(attempt.Outcome)) return ("outcome", "must be \"error\" or \"success\"");
        if (attempt.OccurredAt < Earliest) return ("occurred_at", "must not be before 1970-01-01T00:00:00Z");
        if (attempt.StatusCode is < 0 or > 99999) return ("status_code", "must be between 0 and 99999");
        if (attempt.Message?.Length > MaxMessageLength) return ("message", $"must be at most {MaxMessageLength} characters");
        if (attempt.Flow?.Length > MaxNameLength) return ("flow", $"must be at most {MaxNameLength} characters");
        if (attempt.Service?.Length > MaxNameLength) return ("service", $"must be at most {MaxNameLength} characters");
        if (attempt.TraceKey?.Length > MaxTraceKeyLength) return ("trace_key", $"must be at most {MaxTraceKeyLength} characters");
        return null;
    }

    /// <summary>
    /// A time older than <paramref name="oldest"/> is refused: its day has left (or is about to leave) the error history,
    /// so it could neither be counted nor shown.
    /// </summary>
    public static (string Field, string Problem)? CheckAge(Attempt attempt, DateTimeOffset oldest) =>
        attempt.OccurredAt < oldest
            ? ("occurred_at", $"must not be before {oldest.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} (errors are kept for a limited number of days)")
            : null;
}
