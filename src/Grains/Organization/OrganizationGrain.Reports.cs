using Alerts.Contracts;
using Alerts.Grains.Journal;
using Alerts.Grains.Policies;
using Alerts.Grains.State;

namespace Alerts.Grains.Organization;

/// <summary>
/// The hot path: report → journal → counts → decision. A call's batches are checked, de-duplicated by event id and
/// queued for the journal's next group commit; once it is durable they are counted in the direction windows and
/// decided on, and the caller is acknowledged. Off the acknowledgement path, commits are projected (<c>.Projections.cs</c>),
/// and a checkpoint now and then writes the snapshot, so a new activation replays only the journal after it.
/// </summary>
public sealed partial class OrganizationGrain
{
    private ReportJournal _journal = null!;
    private RecentEventIds _recent = null!;
    private IGrainTimer? _snapshotTimer;
    private int _commitsSinceSnapshot;
    private DateTimeOffset _lastTrim;
    private bool _journalFailed;

    private string Stream => JournalStream(OrgId);

    /// <summary>The journal stream of an organization's reports.</summary>
    public static string JournalStream(string orgId) => $"org/{orgId}";

    public async Task<IReadOnlyList<RecordResult>> ReportAsync(IReadOnlyList<IReadOnlyList<Report>> batches)
    {
        var results = new RecordResult[batches.Count];
        if (State.Profile is null)
        {
            Array.Fill(results, RecordResult.UnknownOrganization(OrgId));
            return results;
        }
        ThrowIfProjectionBacklogged();
        var now = Now;
        _recent.Expire(now);
        var oldest = new DateTimeOffset(FirstKeptDay(now).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var commits = new List<Task>(batches.Count);
        for (var i = 0; i < batches.Count; i++)
        {
            if (Refusal(batches[i], oldest) is { } refused)
            {
                results[i] = refused;
                continue;
            }
            var (fresh, duplicates) = Deduplicate(batches[i], now);
            results[i] = new RecordResult(RecordStatus.Recorded, fresh.Count, duplicates);
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
            if (!_integrations.ContainsKey(batch[i].IntegrationId)) return RecordResult.UnknownIntegration(i, batch[i].IntegrationId);
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

    /// <summary>A commit is durable: count it, decide, and queue its projection. Returns the decision's durability, if any.</summary>
    private Task? Apply(AppliedCommit commit)
    {
        State.JournalPosition = commit.Sequence;
        var touched = Count(commit.Reports, Now);
        QueueProjection(commit);
        _commitsSinceSnapshot++;
        StartProjection();
        var decided = Decide(touched, Now);
        if (decided.Count > 0) return MakeDecisionsDurableAsync(decided, commit.Sequence);
        if (_commitsSinceSnapshot >= journalOptions.Value.SnapshotEveryCommits) _ = CheckpointAsync();
        return null;
    }

    /// <summary>Adds the errors to the windows of active directions; returns the directions that changed.</summary>
    private List<Direction> Count(IReadOnlyList<Report> reports, DateTimeOffset now)
    {
        var touched = new List<Direction>(2);
        foreach (var report in reports)
        {
            if (report.Attempt.Outcome != AttemptOutcome.Error || !_integrations.TryGetValue(report.IntegrationId, out var integration)) continue;
            var direction = integration.Type.Direction();
            var bookkeeping = State.For(direction);
            if (bookkeeping.Window is not { } window) continue;
            var interval = State.Profile!.IntegrationNotifications.For(direction).FailureInterval!.Value;
            if (report.Attempt.OccurredAt <= ThresholdPolicy.ForgetBoundary(bookkeeping.LastFailureAt, now, interval)) continue;
            window.Add(report.Attempt.OccurredAt!.Value, report.IntegrationId);
            if (!touched.Contains(direction)) touched.Add(direction);
        }
        return touched;
    }

    /// <summary>Loads the snapshot's continuation: replays the journal after it and rebuilds the event-id memory.</summary>
    private async Task OpenJournalAsync(CancellationToken cancellationToken)
    {
        var options = journalOptions.Value;
        _recent = new RecentEventIds(options.DeduplicationWindow, options.MaxRememberedIds);
        _journal = new ReportJournal(journalStore, Stream, clock, options, Apply, OnJournalFailed);
        if (State.Profile is null) return;

        var now = Now;
        _sentThrough = State.ProjectedThrough;
        await foreach (var keys in journalStore.ReadKeysAsync(Stream, State.JournalPosition, now - options.DeduplicationWindow, cancellationToken))
            Remember(keys.Keys, keys.WrittenAt);
        var tail = await journalStore.ReadAfterAsync(Stream, Math.Min(State.ProjectedThrough, State.JournalPosition), cancellationToken);
        foreach (var stored in tail.Commits)
        {
            var commit = new AppliedCommit(stored.Sequence, stored.WrittenAt, ReportCodec.Decode(stored.Payload), stored.Payload);
            if (commit.Sequence > State.JournalPosition)
            {
                Remember(stored.Keys, stored.WrittenAt);
                Count(commit.Reports, now);
                State.JournalPosition = commit.Sequence;
                _commitsSinceSnapshot++;
            }
            if (commit.Sequence > State.ProjectedThrough) QueueProjection(commit);
        }
        _journal.LastSequence = Math.Max(tail.LastSequence, State.JournalPosition);
        if (tail.Commits.Count > 0) Log.JournalReplayed(logger, OrgId, tail.Commits.Count, _recent.Count);

        _snapshotTimer = this.RegisterGrainTimer(OnSnapshotTimerAsync, options.SnapshotInterval, options.SnapshotInterval);
        StartProjection();
        await ResumeAfterActivationAsync();
    }

    private void Remember(ReadOnlyMemory<byte> keys, DateTimeOffset writtenAt)
    {
        foreach (var key in ReportCodec.Keys(keys)) _recent.Add(key, writtenAt);
    }

    private async Task CloseJournalAsync()
    {
        _snapshotTimer?.Dispose();
        _projectionRetry?.Dispose();
        // The journal holds everything: what this checkpoint does not save, the next activation replays.
        if (!_journalFailed && State.Profile is not null && (_commitsSinceSnapshot > 0 || _touched.Count > 0)) await CheckpointAsync();
    }

    private void OnJournalFailed(Exception exception)
    {
        _journalFailed = true;
        Log.JournalFailed(logger, exception, OrgId);
        this.DeactivateOnIdle();
    }

    private async Task OnSnapshotTimerAsync(CancellationToken cancellationToken)
    {
        if (_journalFailed) return;
        if (_commitsSinceSnapshot > 0 || _touched.Count > 0 || _lagging.Count > 0) await CheckpointAsync();
        // Decisions whose hand-over failed are handed over again (the outbox ignores what it already has).
        if (State.HandOvers.Count > 0 && !_handingOver) _ = HandOverAsync(State.HandOvers.ToList(), State.JournalPosition);
    }

    /// <summary>
    /// A lazy snapshot: the integrations write what they were sent, then the snapshot records that position as
    /// projected. One at a time: a checkpoint asked for while one runs is the running one.
    /// </summary>
    private Task CheckpointAsync()
    {
        if (_checkpoint is { IsCompleted: false } running) return running;
        _commitsSinceSnapshot = 0;
        return _checkpoint = RunCheckpointAsync();
    }

    private Task? _checkpoint;

    /// <summary>Failures are logged: the journal still holds everything, and the next checkpoint tries again.</summary>
    private async Task RunCheckpointAsync()
    {
        try
        {
            await FlushProjectionsAsync();
        }
        catch (Exception exception)
        {
            // The snapshot still saves the counts; the projected position waits for the next checkpoint.
            Log.SnapshotFailed(logger, exception, OrgId);
        }
        try
        {
            await SaveAsync();
        }
        catch (Exception exception)
        {
            Log.SnapshotFailed(logger, exception, OrgId);
        }
    }

    /// <summary>After a snapshot: commits it covers (and projected) leave the journal once their ids may be forgotten.</summary>
    private void AfterSnapshot(long covered)
    {
        var now = Now;
        if (now - _lastTrim < TimeSpan.FromMinutes(1)) return;
        _lastTrim = now;
        _ = TrimJournalAsync(covered, now - journalOptions.Value.DeduplicationWindow);
    }

    private async Task TrimJournalAsync(long through, DateTimeOffset writtenBefore)
    {
        try
        {
            await journalStore.TrimAsync(Stream, through, writtenBefore);
        }
        catch (Exception exception)
        {
            Log.TrimFailed(logger, exception, OrgId);
        }
    }
}
