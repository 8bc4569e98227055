using Alerts.Contracts;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Intake;
using Alerts.Grains.Integration;
using Alerts.Grains.Organization;

namespace Alerts.Grains.Projection;

/// <summary>Who follows the integrations' tracked errors through the projection's answers (the dashboard's failure index).</summary>
internal interface ITrackedErrorChanges
{
    /// <summary>Whether integrations should report what each round changed (only while someone keeps an index).</summary>
    bool Wanted { get; }

    void Apply(string integrationId, ApplyAnswer answer);
}

/// <summary>
/// After the acknowledgement: each commit's share goes to its integration grains (totals, latest errors, the error
/// lifecycle; applied in memory, written when the organization checkpoints) and its errors to the error log (durable per
/// round; CSVs read it). One round at a time, in order, at most every <see cref="RoundInterval"/>, each carrying
/// everything committed since the last: the cost of projecting does not grow with the number of requests. Memory is
/// bounded by <see cref="MaxUnprojectedReports"/>: past it the intake refuses reports until a round catches up.
/// </summary>
internal sealed class ProjectionPump(IOrganizationHost host, IJournal journal, IErrorLog errorLog, Func<long> lastCommitted, ITrackedErrorChanges errorChanges)
{
    private static readonly TimeSpan RoundInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Reports one round carries at most, so a backlog (after an error-log outage) goes out in rounds of a sane size.</summary>
    private const int RoundReports = 50_000;

    /// <summary>Reports acknowledged but not yet projected at most: past it new reports are refused (retried by callers).</summary>
    private const int MaxUnprojectedReports = 500_000;

    private int _unprojectedReports;

    private readonly List<AppliedCommit> _unprojected = [];
    private readonly List<(long Sequence, TaskCompletionSource Done)> _projectionWaiters = [];

    /// <summary>Per integration, the last commit sent to it since this activation (its chain of deltas).</summary>
    private readonly Dictionary<string, long> _lastSent = new(StringComparer.Ordinal);

    /// <summary>Integrations sent deltas since the last checkpoint: the next one asks them to write.</summary>
    private HashSet<string> _touched = new(StringComparer.Ordinal);

    /// <summary>
    /// Integrations that lost deltas they had not written (their silo died), with what they hold: the projected position
    /// stays at or below that until a checkpoint has re-sent them what they lack from the journal.
    /// </summary>
    private readonly Dictionary<string, long> _lagging = new(StringComparer.Ordinal);

    /// <summary>Every commit at or below this is in the error log and applied at its integrations (in memory).</summary>
    private long _sentThrough;

    private bool _projecting;
    private int _projectionFailures;
    private IDisposable? _projectionRetry;

    /// <summary>The commit time of the last commit projected (everything committed up to then is applied everywhere).</summary>
    private DateTimeOffset? _sentThroughAt;

    private string OrgId => host.OrgId;

    /// <summary>Integrations were sent deltas they have not been asked to write yet.</summary>
    public bool HasUnflushed => _touched.Count > 0;

    /// <summary>Some integration lost deltas and has not been sent them again yet.</summary>
    public bool HasLagging => _lagging.Count > 0;

    /// <summary>Starts from the snapshot: every commit up to <paramref name="projectedThrough"/> is projected.</summary>
    public void Open(long projectedThrough) => _sentThrough = projectedThrough;

    /// <summary>Stops the retry timer (the grain deactivates).</summary>
    public void Close() => _projectionRetry?.Dispose();

    /// <summary>
    /// The latest time up to which every commit is projected, after waiting (at most <paramref name="patience"/>) for the
    /// commits started so far. Lifecycle questions are asked as of this time: a commit written just before "now" but not
    /// yet applied cannot be missed by a digest round or lose a retry window's race to a listing.
    /// </summary>
    public async Task<DateTimeOffset?> ProjectedAsOfAsync(TimeSpan patience)
    {
        // Read together, in one turn: every commit stamped at or before now has a sequence at or below this.
        var now = host.Now;
        var through = lastCommitted();
        try
        {
            await WaitForAsync(through).WaitAsync(patience);
            return now;
        }
        catch (TimeoutException)
        {
            return _sentThroughAt;
        }
    }

    /// <summary>Returns once commit <paramref name="position"/> is projected, or after 5 s (a view may be a little stale rather than fail).</summary>
    public async Task CatchUpAsync(long position)
    {
        try
        {
            await WaitForAsync(position).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // A view may be a little stale rather than fail while the error log is unreachable.
        }
    }

    /// <summary>Starts projecting queued commits unless a round is running.</summary>
    public void Start()
    {
        if (!_projecting && _unprojected.Count > 0) _ = ProjectAsync();
    }

    private async Task ProjectAsync()
    {
        _projecting = true;
        try
        {
            while (_unprojected.Count > 0)
            {
                var started = DateTime.UtcNow;
                AlertsMetrics.ProjectionLag.Record(_unprojected.Count);
                var round = TakeRound();
                try
                {
                    await ProjectRoundAsync(round);
                }
                catch (Exception exception)
                {
                    var delay = TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(5, _projectionFailures++)));
                    Log.ProjectionFailed(host.Logger, exception, OrgId, delay);
                    _projectionRetry?.Dispose();
                    _projectionRetry = host.After(delay, () => { Start(); return Task.CompletedTask; });
                    return;
                }
                _projectionFailures = 0;
                _unprojected.RemoveRange(0, round.Count);
                _unprojectedReports -= round.Sum(commit => commit.Reports.Count);
                _sentThrough = round[^1].Sequence;
                _sentThroughAt = round[^1].WrittenAt;
                ReleaseProjectionWaiters();
                var pause = RoundInterval - (DateTime.UtcNow - started);
                if (pause > TimeSpan.Zero && _unprojected.Count > 0) await Task.Delay(pause);
            }
        }
        finally
        {
            _projecting = false;
        }
    }

    private List<AppliedCommit> TakeRound()
    {
        var reports = 0;
        var take = 0;
        while (take < _unprojected.Count && (take == 0 || reports + _unprojected[take].Reports.Count <= RoundReports))
            reports += _unprojected[take++].Reports.Count;
        return _unprojected.GetRange(0, take);
    }

    /// <summary>Queues a durable commit for projection.</summary>
    public void Queue(AppliedCommit commit)
    {
        _unprojected.Add(commit);
        _unprojectedReports += commit.Reports.Count;
    }

    /// <summary>Refuses new reports while too many wait for projection (the error log unreachable for long): memory stays bounded.</summary>
    public void ThrowIfBacklogged()
    {
        if (_unprojectedReports <= MaxUnprojectedReports) return;
        Log.ProjectionBacklog(host.Logger, OrgId, _unprojectedReports);
        throw new InvalidOperationException($"organization {OrgId} has {_unprojectedReports} reports waiting to be projected; retry later with the same event ids");
    }

    private Task ProjectRoundAsync(List<AppliedCommit> round)
    {
        var logged = new List<LoggedBatch>(round.Count);
        foreach (var commit in round)
        {
            var errors = new List<Report>(commit.Reports.Count);
            foreach (var report in commit.Reports)
            {
                if (report.Attempt.Outcome == AttemptOutcome.Error) errors.Add(report);
            }
            if (errors.Count == 0) continue;
            // A commit of errors only is logged in the journal's own encoding, not encoded a second time.
            var batch = new LoggedBatch(commit.Sequence, errors);
            logged.Add(errors.Count == commit.Reports.Count ? batch with { Encoded = commit.Payload } : batch);
        }
        var writes = new List<Task>();
        if (logged.Count > 0) writes.Add(errorLog.AppendAsync(OrgId, logged));
        foreach (var (integrationId, deltas) in Deltas(round)) writes.Add(SendAsync(integrationId, deltas, round[^1].Sequence));
        return Task.WhenAll(writes);
    }

    /// <summary>
    /// Sends an integration its deltas. If it lost deltas it had not written (its silo died), it refuses them, and
    /// everything after what it holds is rebuilt from the journal and sent instead.
    /// </summary>
    private async Task SendAsync(string integrationId, List<IntegrationDelta> deltas, long roundEnd)
    {
        var integration = host.GrainFactory.GetGrain<IIntegrationProjection>(GrainKeys.Integration(OrgId, integrationId));
        var wanted = errorChanges.Wanted;
        var answer = await integration.ApplyAsync(_lastSent.GetValueOrDefault(integrationId), deltas, wanted);
        if (!answer.Applied)
        {
            var holds = await integration.AppliedThroughAsync();
            var tail = await journal.ReadAfterAsync(ReportIntake.StreamOf(OrgId), holds);
            var commits = tail.Commits
                .Where(commit => commit.Sequence <= roundEnd)
                .Select(commit => new AppliedCommit(commit.Sequence, commit.WrittenAt, ReportCodec.Decode(commit.Payload), commit.Payload));
            deltas = Deltas(commits).GetValueOrDefault(integrationId) ?? [];
            answer = await integration.ApplyAsync(holds, deltas, wanted);
            if (!answer.Applied)
                throw new InvalidOperationException($"integration {integrationId} refused the deltas after commit {holds} it asked for");
        }
        if (wanted) errorChanges.Apply(integrationId, answer);
        if (deltas.Count > 0) _lastSent[integrationId] = deltas[^1].Sequence;
        _touched.Add(integrationId);
    }

    /// <summary>Each commit's share per integration: counts, the time of the last error, its latest errors.</summary>
    private static Dictionary<string, List<IntegrationDelta>> Deltas(IEnumerable<AppliedCommit> commits)
    {
        var deltas = new Dictionary<string, List<IntegrationDelta>>(StringComparer.Ordinal);
        var tallies = new Dictionary<string, Tally>(StringComparer.Ordinal);
        foreach (var commit in commits)
        {
            tallies.Clear();
            foreach (var report in commit.Reports)
            {
                if (!tallies.TryGetValue(report.IntegrationId, out var tally)) tallies[report.IntegrationId] = tally = new Tally();
                tally.Add(report.Attempt);
            }
            foreach (var (integrationId, tally) in tallies)
            {
                if (!deltas.TryGetValue(integrationId, out var list)) deltas[integrationId] = list = [];
                list.Add(tally.ToDelta(commit.Sequence, commit.WrittenAt));
            }
        }
        // Only the newest errors are kept by an integration: earlier deltas of the same integration need not carry theirs.
        foreach (var list in deltas.Values)
        {
            var budget = IntegrationState.RecentErrorsKept;
            for (var i = list.Count - 1; i >= 0; i--)
            {
                var latest = list[i].LatestErrors;
                if (latest.Count <= budget) budget -= latest.Count;
                else
                {
                    list[i] = list[i] with { LatestErrors = budget == 0 ? [] : latest.Skip(latest.Count - budget).ToList() };
                    budget = 0;
                }
            }
        }
        return deltas;
    }

    /// <summary>
    /// Asks every integration sent deltas since the last checkpoint to write them, and returns the position up to which
    /// nothing needs replaying (the snapshot written next holds it). An integration that lost some keeps it back.
    /// </summary>
    public async Task<long> FlushAsync()
    {
        var target = _sentThrough;
        var touched = _touched;
        _touched = new HashSet<string>(StringComparer.Ordinal);
        touched.UnionWith(_lagging.Keys);
        try
        {
            await Task.WhenAll(touched.Select(id => FlushOneAsync(id, target)));
        }
        catch
        {
            _touched.UnionWith(touched);
            throw;
        }
        finally
        {
            // Nothing an integration lacks may leave the journal: the position stays below what the laggards hold.
            foreach (var stored in _lagging.Values) target = Math.Min(target, stored);
        }
        return target;
    }

    /// <summary>
    /// Asks one integration to write. One that returns less than it was sent lost deltas: it is sent what it lacks
    /// (its chain check refuses the next delta, and the repair reads the journal) and asked again.
    /// </summary>
    private async Task FlushOneAsync(string integrationId, long through)
    {
        var integration = host.GrainFactory.GetGrain<IIntegrationProjection>(GrainKeys.Integration(OrgId, integrationId));
        var stored = await integration.FlushAsync();
        if (stored >= _lastSent.GetValueOrDefault(integrationId))
        {
            _lagging.Remove(integrationId);
            return;
        }
        _lagging[integrationId] = stored;
        await SendAsync(integrationId, [], through);
        stored = await integration.FlushAsync();
        if (stored >= _lastSent.GetValueOrDefault(integrationId)) _lagging.Remove(integrationId);
        else _lagging[integrationId] = stored;
    }

    /// <summary>One commit's reports of one integration, counted in one pass; only the latest errors are kept whole.</summary>
    private sealed class Tally
    {
        private readonly Queue<Attempt> _latest = new(IntegrationState.RecentErrorsKept);
        private readonly List<Attempt> _all = [];
        private int _errors;
        private int _successes;
        private DateTimeOffset? _lastErrorAt;

        public void Add(Attempt attempt)
        {
            _all.Add(attempt);
            if (attempt.Outcome != AttemptOutcome.Error)
            {
                _successes++;
                return;
            }
            _errors++;
            if (_lastErrorAt is null || attempt.OccurredAt > _lastErrorAt) _lastErrorAt = attempt.OccurredAt;
            if (_latest.Count == IntegrationState.RecentErrorsKept) _latest.Dequeue();
            _latest.Enqueue(attempt);
        }

        public IntegrationDelta ToDelta(long sequence, DateTimeOffset writtenAt) =>
            new(sequence, _errors, _successes, _lastErrorAt, _latest.Select(Detail).ToList(), writtenAt, _all);
    }

    private static ErrorDetail Detail(Attempt attempt) => new(
        attempt.EventId, attempt.OccurredAt!.Value, attempt.StatusCode, attempt.Message, attempt.Flow, attempt.Service, attempt.TraceKey);

    /// <summary>Completes once the commit is in the error log and at its integrations.</summary>
    public Task WaitForAsync(long sequence)
    {
        if (_sentThrough >= sequence) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _projectionWaiters.Add((sequence, done));
        return done.Task;
    }

    private void ReleaseProjectionWaiters()
    {
        for (var i = _projectionWaiters.Count - 1; i >= 0; i--)
        {
            if (_projectionWaiters[i].Sequence > _sentThrough) continue;
            _projectionWaiters[i].Done.TrySetResult();
            _projectionWaiters.RemoveAt(i);
        }
    }
}
