using Alerts.Contracts;

namespace Alerts.Grains.ErrorLog;

/// <summary>
/// The append-only log of error details behind CSV exports, digests and the dashboard's failure table.
/// Appending the same (integration, event id) again replaces the row, so a retried batch is logged once.
/// </summary>
public interface IErrorLog
{
    Task AppendAsync(string orgId, string integrationId, IReadOnlyList<ErrorDetail> errors, CancellationToken cancellationToken = default);

    /// <summary>
    /// The organization's errors that occurred in [since, until), oldest first (by occurrence within each UTC day), each
    /// event once. Streamed a day at a time, so a reader that stops early does not load the rest.
    /// </summary>
    IAsyncEnumerable<LoggedError> ReadAsync(string orgId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Removes one day of an organization's errors (retention).</summary>
    Task DeleteDayAsync(string orgId, DateOnly day, CancellationToken cancellationToken = default);
}

public sealed record LoggedError(string IntegrationId, ErrorDetail Detail);

/// <summary>Configuration section <c>Alerts:ErrorLog</c>.</summary>
public sealed class ErrorLogOptions
{
    public const string Section = "Alerts:ErrorLog";

    /// <summary>
    /// Days of error details kept: 30 for CSV exports and the dashboard's longest period, plus 30 more so the
    /// dashboard can compare a 30-day period with the one before it.
    /// </summary>
    public int RetentionDays { get; set; } = 60;
}
