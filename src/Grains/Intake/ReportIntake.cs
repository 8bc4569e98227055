using Alerts.Contracts;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Organization;
using Alerts.Grains.Projection;
using Alerts.Grains.Stores;

namespace Alerts.Grains.Intake;

/// <summary>
/// The hot path in: a call's batches are checked whole, de-duplicated by event id (remembered for
/// <see cref="JournalOptions.DeduplicationWindow"/>) and queued for the journal's next group commit; the call returns
/// once that commit is durable and applied. After an activation it rebuilds the event-id memory from the journal.
/// </summary>
internal sealed class ReportIntake(
    IOrganizationHost host, Members members, ProjectionPump projection, LogRetention retention,
    IJournal store, TimeProvider clock, JournalOptions options)
{
    private ReportJournal _journal = null!;
    private RecentEventIds _recent = null!;

    /// <summary>The journal stream of an organization's reports.</summary>
    public static string StreamOf(string orgId) => $"org/{orgId}";

    private string Stream => StreamOf(host.OrgId);

    /// <summary>A journal write failed: memory may be ahead of storage, and the grain is reloading.</summary>
    public bool Failed { get; private set; }

    /// <summary>The last journal sequence assigned (or found in storage at activation).</summary>
    public long LastSequence => _journal.LastSequence;

    /// <summary>
    /// Opens the journal; <paramref name="apply"/> runs for each durable commit in order (its task, if any, delays the
    /// acknowledgement), <paramref name="failed"/> once a write fails.
    /// </summary>
    public void Open(Func<AppliedCommit, Task?> apply, Action<Exception> failed)
    {
        _recent = new RecentEventIds(options.DeduplicationWindow, options.MaxRememberedIds);
        _journal = new ReportJournal(store, Stream, clock, options, apply, exception =>
        {
            Failed = true;
            Log.JournalFailed(host.Logger, exception, host.OrgId);
            failed(exception);
        });
    }

    /// <summary>
    /// Remembers the event ids of the commits still inside the de-duplication window and returns the journal after
    /// <c>min(<paramref name="projectedThrough"/>, <paramref name="position"/>)</c>: the commits the snapshot has not
    /// counted or not projected.
    /// </summary>
    public async Task<List<AppliedCommit>> RestoreAsync(long position, long projectedThrough, CancellationToken cancellationToken)
    {
        await foreach (var keys in store.ReadKeysAsync(Stream, position, host.Now - options.DeduplicationWindow, cancellationToken))
            Remember(keys.Keys, keys.WrittenAt);
        var tail = await store.ReadAfterAsync(Stream, Math.Min(projectedThrough, position), cancellationToken);
        var commits = new List<AppliedCommit>(tail.Commits.Count);
        foreach (var stored in tail.Commits)
        {
            if (stored.Sequence > position) Remember(stored.Keys, stored.WrittenAt);
            commits.Add(new AppliedCommit(stored.Sequence, stored.WrittenAt, ReportCodec.Decode(stored.Payload), stored.Payload));
        }
        _journal.LastSequence = Math.Max(tail.LastSequence, position);
        if (tail.Commits.Count > 0) Log.JournalReplayed(host.Logger, host.OrgId, tail.Commits.Count, _recent.Count);
        return commits;
    }

    public async Task<IReadOnlyList<RecordResult>> ReportAsync(IReadOnlyList<IReadOnlyList<Report>> batches)
    {
        var results = new RecordResult[batches.Count];
        projection.ThrowIfBacklogged();
        var now = host.Now;
        _recent.Expire(now);
        var oldest = new DateTimeOffset(retention.FirstKeptDay(now).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var commits = new List<Task>(batches.Count);
        for (var i = 0; i < batches.Count; i++)
        {
            if (Refusal(batches[i], oldest) is { } refused)
            {
                results[i] = refused;
                AlertsMetrics.Reports.Add(batches[i].Count, new("outcome", "refused"), new("reason", refused.Status == RecordStatus.UnknownIntegration ? "unknown_integration" : "invalid"));
                continue;
            }
            var (fresh, duplicates) = Deduplicate(batches[i], now);
            results[i] = new RecordResult(RecordStatus.Recorded, fresh.Count, duplicates);
            AlertsMetrics.Reports.Add(fresh.Count, new KeyValuePair<string, object?>("outcome", "accepted"));
            if (duplicates > 0) AlertsMetrics.Reports.Add(duplicates, new KeyValuePair<string, object?>("outcome", "duplicate"));
            // Even a batch of duplicates waits: the originals may still be in a commit being written.
            commits.Add(_journal.AppendAsync(fresh));
        }
        await Task.WhenAll(commits);
        return results;
    }

    /// <summary>The first reason to refuse a batch, or null. Checked whole before anything is recorded.</summary>
    private RecordResult? Refusal(IReadOnlyList<Report> batch, DateTimeOffset oldest)
    {
        if (batch.Count > AttemptRules.MaxBatch) return RecordResult.Invalid($"at most {AttemptRules.MaxBatch} attempts per batch");
        for (var i = 0; i < batch.Count; i++)
        {
            var report = batch[i];
            if (report?.Attempt is null || !GrainKeys.IsValidId(report.IntegrationId))
                return RecordResult.Invalid("integration_id must be a valid id", i, "integration_id");
            if ((AttemptRules.Check(report.Attempt) ?? AttemptRules.CheckAge(report.Attempt, oldest)) is { } problem)
                return RecordResult.Invalid($"{problem.Field} {problem.Problem}", i, problem.Field);
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (!members.Integrations.ContainsKey(batch[i].IntegrationId)) return RecordResult.UnknownIntegration(i, batch[i].IntegrationId);
        }
        return null;
    }

    /// <summary>The reports whose event id is new (the first of a repeated id counts), with their time resolved.</summary>
    private (List<Report> Fresh, int Duplicates) Deduplicate(IReadOnlyList<Report> batch, DateTimeOffset now)
    {
        var fresh = new List<Report>(batch.Count);
        var duplicates = 0;
        foreach (var report in batch)
        {
            // Remembered at once: a failed commit deactivates the grain, and the next activation rebuilds from the journal.
            if (!_recent.Add(ReportCodec.Key(report.IntegrationId, report.Attempt.EventId), now))
            {
                duplicates++;
                continue;
            }
            // A time in the future is taken as now: a skewed clock must not stretch a window.
            var occurredAt = report.Attempt.OccurredAt is { } reported && reported < now ? reported.ToUniversalTime() : now;
            fresh.Add(report.Attempt.OccurredAt == occurredAt ? report : report with { Attempt = report.Attempt with { OccurredAt = occurredAt } });
        }
        return (fresh, duplicates);
    }

    private void Remember(ReadOnlyMemory<byte> keys, DateTimeOffset writtenAt)
    {
        foreach (var key in ReportCodec.Keys(keys)) _recent.Add(key, writtenAt);
    }
}
