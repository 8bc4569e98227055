using Alerts.Contracts;
using Alerts.Contracts.Telemetry;
using Alerts.Grains.Stores;

namespace Alerts.Grains.Intake;

/// <summary>
/// Group commit of one organization's reports into its journal. Callers queue their batches; a commit takes whatever is
/// waiting (whole batches, up to the size limits), and up to <see cref="JournalOptions.CommitsInFlight"/> commits are written at once
/// — a second only when enough reports wait (<see cref="JournalOptions.ReportsToOverlapCommits"/>) — so a caller waits for at
/// most the commit being written before its own starts. Commits are applied, and their
/// callers answered, strictly in sequence order, once durable. An empty batch waits for everything queued before it.
/// <para>
/// Not thread-safe: it lives inside one grain activation, whose turns never overlap. After a failed write the journal
/// refuses everything (commits written after it included): memory may no longer match storage, so the owner must
/// deactivate and reload, and the reload replays whatever did reach storage.
/// </para>
/// </summary>
public sealed class ReportJournal(
    IJournal journal, string stream, TimeProvider clock, JournalOptions options, Func<AppliedCommit, Task?> apply, Action<Exception> failed)
{
    private readonly Queue<Waiter> _waiting = new();
    private int _waitingReports;
    private int _inFlight;

    /// <summary>Completes when the last commit started has been applied (or failed); the next one applies after it.</summary>
    private Task _previous = Task.CompletedTask;
    private Exception? _failure;

    /// <summary>The last sequence assigned (or found in storage when the owner activated).</summary>
    public long LastSequence { get; set; }

    public Task AppendAsync(IReadOnlyList<Report> reports)
    {
        if (_failure is not null) return Task.FromException(_failure);
        var waiter = new Waiter(reports, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), AlertsTelemetry.CurrentTraceParent());
        _waiting.Enqueue(waiter);
        _waitingReports += reports.Count;
        StartCommits();
        return waiter.Done.Task;
    }

    private void StartCommits()
    {
        while (_waiting.Count > 0 && _failure is null
               && (_inFlight == 0 || (_inFlight < options.CommitsInFlight && _waitingReports >= options.ReportsToOverlapCommits)))
        {
            var taken = TakeCommit();
            var reports = taken.Count == 1 ? taken[0].Reports : taken.SelectMany(w => w.Reports).ToList();
            _inFlight++;
            if (reports.Count == 0)
            {
                _previous = FinishAsync(_previous, Task.CompletedTask, null, taken);
                continue;
            }
            var writtenAt = clock.GetUtcNow();
            var (payload, keys) = ReportCodec.Encode(reports);
            var commit = new JournalCommit(++LastSequence, writtenAt, payload, keys);
            var write = Timed(journal.AppendAsync(stream, [commit]), System.Diagnostics.Stopwatch.GetTimestamp(), reports.Count);
            // A decision this commit causes continues the trace of its first traced caller.
            var cause = taken.Find(w => w.TraceParent is not null)?.TraceParent;
            _previous = FinishAsync(_previous, write, new AppliedCommit(commit.Sequence, writtenAt, reports, payload, cause), taken);
        }
    }

    /// <summary>A commit's write, measured (<see cref="AlertsMetrics.CommitDuration"/>, <see cref="AlertsMetrics.ReportsPerCommit"/>).</summary>
    private static async Task Timed(Task write, long started, int reports)
    {
        await write;
        AlertsMetrics.CommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        AlertsMetrics.ReportsPerCommit.Record(reports);
    }

    /// <summary>Waits for the write and for every earlier commit, then applies this one and answers its callers.</summary>
    private async Task FinishAsync(Task previous, Task write, AppliedCommit? commit, List<Waiter> taken)
    {
        // Never run inline in StartCommits: the commits it starts must chain onto one another in order.
        await Task.Yield();
        Exception? error = null;
        try
        {
            await write;
        }
        catch (Exception exception)
        {
            error = exception;
        }
        await previous;
        _inFlight--;
        Task? followUp = null;
        if (error is null && _failure is null && commit is not null)
        {
            try
            {
                followUp = apply(commit);
            }
            catch (Exception exception)
            {
                error = exception;
            }
        }
        if (error is not null && _failure is null)
        {
            _failure = error;
            failed(error);
        }
        if (_failure is not null)
        {
            foreach (var waiter in taken.Concat(_waiting)) waiter.Done.TrySetException(_failure);
            _waiting.Clear();
            _waitingReports = 0;
            return;
        }
        if (followUp is null) foreach (var waiter in taken) waiter.Done.TrySetResult();
        else _ = CompleteAfterAsync(taken, followUp);
        StartCommits();
    }

    /// <summary>
    /// A commit whose application started more work its callers must see done (a decision made durable) is
    /// acknowledged after that work, without holding up the next commit.
    /// </summary>
    private static async Task CompleteAfterAsync(List<Waiter> taken, Task followUp)
    {
        try
        {
            await followUp;
            foreach (var waiter in taken) waiter.Done.TrySetResult();
        }
        catch (Exception exception)
        {
            foreach (var waiter in taken) waiter.Done.TrySetException(exception);
        }
    }

    /// <summary>Whole waiting batches, oldest first, up to the commit's size limits (at least one).</summary>
    private List<Waiter> TakeCommit()
    {
        var taken = new List<Waiter>();
        int reports = 0, bytes = 0;
        while (_waiting.TryPeek(out var next))
        {
            var nextBytes = next.Reports.Sum(ReportCodec.EstimateBytes);
            if (taken.Count > 0 && (reports + next.Reports.Count > options.MaxReportsPerCommit || bytes + nextBytes > options.MaxCommitBytes)) break;
            taken.Add(_waiting.Dequeue());
            _waitingReports -= next.Reports.Count;
            reports += next.Reports.Count;
            bytes += nextBytes;
        }
        return taken;
    }

    private sealed record Waiter(IReadOnlyList<Report> Reports, TaskCompletionSource Done, string? TraceParent);
}

/// <summary>
/// A commit that is durable, handed to its owner to apply: its reports with their times resolved, and as encoded; the
/// <c>traceparent</c> of the request that brought them, when traced (none for commits replayed after an activation).
/// </summary>
public sealed record AppliedCommit(
    long Sequence, DateTimeOffset WrittenAt, IReadOnlyList<Report> Reports, ReadOnlyMemory<byte> Payload, string? TraceParent = null);
