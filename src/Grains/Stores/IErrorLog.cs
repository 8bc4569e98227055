using Alerts.Contracts;

namespace Alerts.Grains.Stores;

/// <summary>
/// The append-only log of error details behind CSV exports, digests and the dashboard's failure table, written
/// from the organization's journal after each commit. Writing a commit's errors again replaces what that commit
/// wrote, so a projection repeated after a crash is logged once.
/// </summary>
public interface IErrorLog
{
    /// <summary>Writes the errors of journal commits (any integrations, any days).</summary>
    Task AppendAsync(string orgId, IReadOnlyList<LoggedBatch> batches, CancellationToken cancellationToken = default);

    /// <summary>
    /// The organization's errors that occurred in [since, until), oldest first (by occurrence within each UTC day), each
    /// event once. Streamed a day at a time, so a reader that stops early does not load the rest.
    /// </summary>
    IAsyncEnumerable<LoggedError> ReadAsync(string orgId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Removes one day of an organization's errors (retention).</summary>
    Task DeleteDayAsync(string orgId, DateOnly day, CancellationToken cancellationToken = default);
}

public sealed record LoggedError(string IntegrationId, ErrorDetail Detail)
{
    /// <summary>A reported error as the log keeps it.</summary>
    public static LoggedError Of(Report report) => new(report.IntegrationId, new ErrorDetail(
        report.Attempt.EventId, report.Attempt.OccurredAt!.Value, report.Attempt.StatusCode, report.Attempt.Message,
        report.Attempt.Flow, report.Attempt.Service, report.Attempt.TraceKey));
}

/// <summary>
/// The errors of one journal commit, as reported (each with its occurrence time resolved): the sequence makes rewriting
/// the same commit idempotent.
/// </summary>
public sealed record LoggedBatch(long Sequence, IReadOnlyList<Report> Errors)
{
    /// <summary>
    /// The errors already encoded (<see cref="Journal.ReportCodec"/>), when the commit held nothing else: a log writing
    /// that encoding may store these bytes as they are.
    /// </summary>
    public ReadOnlyMemory<byte>? Encoded { get; init; }
}
