using Alerts.Contracts;
using Alerts.Grains.ErrorLog;
using Alerts.Grains.Journal;
using Alerts.Grains.Policies;
using Alerts.Grains.State;

namespace Alerts.Grains.Organization;

/// <summary>
/// The hot path: report → journal → counts → decision. A call's batches are checked, de-duplicated by event id and
/// queued for the journal's next group commit; once it is durable they are counted in the direction windows and
/// decided on, and the caller is acknowledged. After that, off the acknowledgement path, each commit is projected
/// onto the integration grains (totals, latest errors) and the error log (details for CSVs).
/// </summary>
public sealed partial class OrganizationGrain
{
    private ReportJournal _journal = null!;
    private RecentEventIds _recent = null!;
    private readonly List<AppliedCommit> _unprojected = [];
    private readonly List<(long Sequence, TaskCompletionSource Done)> _projectionWaiters = [];
    private bool _projecting;
    private int _projectionFailures;
    private IGrainTimer? _projectionRetry;
    private IGrainTimer? _snapshotTimer;
    private int _commitsSinceSnapshot;
    private DateTimeOffset _lastTrim;
    private bool _journalFailed;

    private string Stream => $"org/{OrgId}";

    public async Task<IReadOnlyList<RecordResult>> ReportAsync(IReadOnlyList<IReadOnlyList<Report>> batches)
    {
        var results = new RecordResult[batches.Count];
        if (State.Profile is null)
        {
            Array.Fill(results, RecordResult.UnknownOrganization(OrgId));
            return results;
        }
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

    public async Task CatchUpAsync()
    {
        var target = State.JournalPosition;
        if (State.ProjectedThrough >= target) return;
        try
        {
            await WaitForProjectionAsync(target).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // A view may be a little stale rather than fail while the error log is unreachable.
        }
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
        _unprojected.Add(commit);
        _commitsSinceSnapshot++;
        StartProjection();
        var decided = Decide(touched, Now);
        if (decided.Count > 0) return MakeDecisionsDurableAsync(decided, commit.Sequence);
        if (_commitsSinceSnapshot >= journalOptions.Value.SnapshotEveryCommits) _ = SnapshotAsync();
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
        await foreach (var keys in journalStore.ReadKeysAsync(Stream, State.JournalPosition, now - options.DeduplicationWindow, cancellationToken))
            Remember(keys.Keys, keys.WrittenAt);
        var tail = await journalStore.ReadAfterAsync(Stream, Math.Min(State.ProjectedThrough, State.JournalPosition), cancellationToken);
        foreach (var stored in tail.Commits)
        {
            var commit = new AppliedCommit(stored.Sequence, stored.WrittenAt, ReportCodec.Decode(stored.Payload));
            if (commit.Sequence > State.JournalPosition)
            {
                Remember(stored.Keys, stored.WrittenAt);
                Count(commit.Reports, now);
                State.JournalPosition = commit.Sequence;
                _commitsSinceSnapshot++;
            }
            if (commit.Sequence > State.ProjectedThrough) _unprojected.Add(commit);
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
        if (_journalFailed || _commitsSinceSnapshot == 0 || State.Profile is null) return;
        try
        {
            await SaveAsync();
        }
        catch (Exception exception)
        {
            // The journal holds everything: the next activation replays what this snapshot would have held.
            Log.SnapshotFailed(logger, exception, OrgId);
        }
    }

    private void OnJournalFailed(Exception exception)
    {
        _journalFailed = true;
        Log.JournalFailed(logger, exception, OrgId);
        this.DeactivateOnIdle();
    }

    private async Task OnSnapshotTimerAsync(CancellationToken cancellationToken)
    {
        if (_commitsSinceSnapshot > 0 && !_journalFailed) await SnapshotAsync();
    }

    /// <summary>A lazy snapshot: failures are logged (the journal still holds everything) and the grain reloads.</summary>
    private async Task SnapshotAsync()
    {
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
    private void AfterSnapshot()
    {
        var now = Now;
        if (now - _lastTrim < TimeSpan.FromMinutes(1)) return;
        _lastTrim = now;
        var through = Math.Min(State.JournalPosition, State.ProjectedThrough);
        _ = TrimJournalAsync(through, now - journalOptions.Value.DeduplicationWindow);
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

    private void StartProjection()
    {
        if (!_projecting && _unprojected.Count > 0) _ = ProjectAsync();
    }

    /// <summary>One round at a time, in order: everything committed since the last round goes out together.</summary>
    private async Task ProjectAsync()
    {
        _projecting = true;
        try
        {
            while (_unprojected.Count > 0)
            {
                var round = _unprojected.ToList();
                try
                {
                    await ProjectRoundAsync(round);
                }
                catch (Exception exception)
                {
                    var delay = TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(5, _projectionFailures++)));
                    Log.ProjectionFailed(logger, exception, OrgId, delay);
                    _projectionRetry?.Dispose();
                    _projectionRetry = this.RegisterGrainTimer(
                        _ => { StartProjection(); return Task.CompletedTask; },
                        new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
                    return;
                }
                _projectionFailures = 0;
                _unprojected.RemoveRange(0, round.Count);
                State.ProjectedThrough = round[^1].Sequence;
                ReleaseProjectionWaiters();
            }
        }
        finally
        {
            _projecting = false;
        }
    }

    private Task ProjectRoundAsync(List<AppliedCommit> round)
    {
        var logged = new List<LoggedBatch>();
        var deltas = new Dictionary<string, List<IntegrationDelta>>(StringComparer.Ordinal);
        foreach (var commit in round)
        {
            var errors = new List<LoggedError>();
            foreach (var group in commit.Reports.GroupBy(report => report.IntegrationId, StringComparer.Ordinal))
            {
                var groupErrors = group.Where(r => r.Attempt.Outcome == AttemptOutcome.Error).Select(r => Detail(r.Attempt)).ToList();
                var successes = group.Count() - groupErrors.Count;
                errors.AddRange(groupErrors.Select(detail => new LoggedError(group.Key, detail)));
                var latest = groupErrors.Count <= IntegrationState.RecentErrorsKept ? groupErrors : groupErrors[^IntegrationState.RecentErrorsKept..];
                var delta = new IntegrationDelta(commit.Sequence, groupErrors.Count, successes,
                    groupErrors.Count > 0 ? groupErrors.Max(e => e.OccurredAt) : null, latest);
                if (!deltas.TryGetValue(group.Key, out var list)) deltas[group.Key] = list = [];
                list.Add(delta);
            }
            if (errors.Count > 0) logged.Add(new LoggedBatch(commit.Sequence, errors));
        }
        var writes = new List<Task>(deltas.Count + 1);
        if (logged.Count > 0) writes.Add(errorLog.AppendAsync(OrgId, logged));
        foreach (var (integrationId, list) in deltas)
            writes.Add(GrainFactory.GetGrain<IIntegrationProjection>(GrainKeys.Integration(OrgId, integrationId)).ApplyAsync(list));
        return Task.WhenAll(writes);
    }

    private static ErrorDetail Detail(Attempt attempt) => new(
        attempt.EventId, attempt.OccurredAt!.Value, attempt.StatusCode, attempt.Message, attempt.Flow, attempt.Service, attempt.TraceKey);

    private Task WaitForProjectionAsync(long sequence)
    {
        if (State.ProjectedThrough >= sequence) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _projectionWaiters.Add((sequence, done));
        return done.Task;
    }

    private void ReleaseProjectionWaiters()
    {
        for (var i = _projectionWaiters.Count - 1; i >= 0; i--)
        {
            if (_projectionWaiters[i].Sequence > State.ProjectedThrough) continue;
            _projectionWaiters[i].Done.TrySetResult();
            _projectionWaiters.RemoveAt(i);
        }
    }
}
