using Alerts.Contracts;

namespace Alerts.Grains.Journal;

/// <summary>
/// Group commit of one organization's reports into its journal. Callers queue their batches; while one commit is
/// being written, everything that arrives waits and goes into the next one, so many concurrent requests share one
/// storage call. A caller's batch is never split across commits, and its task completes only when the commit
/// holding it is durable and applied (in sequence order). An empty batch waits for everything queued before it.
/// <para>
/// Not thread-safe: it lives inside one grain activation, whose turns never overlap. After a failed write the
/// journal refuses everything: memory may no longer match storage, so the owner must deactivate and reload.
/// </para>
/// </summary>
public sealed class ReportJournal(
    IJournal journal, string stream, TimeProvider clock, JournalOptions options, Func<AppliedCommit, Task?> apply, Action<Exception> failed)
{
    private readonly Queue<Waiter> _waiting = new();
    private bool _writing;
    private Exception? _failure;

    /// <summary>The last sequence written (or found in storage when the owner activated).</summary>
    public long LastSequence { get; set; }

    public Task AppendAsync(IReadOnlyList<Report> reports)
    {
        if (_failure is not null) return Task.FromException(_failure);
        var waiter = new Waiter(reports, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _waiting.Enqueue(waiter);
        if (!_writing) _ = WriteAsync();
        return waiter.Done.Task;
    }

    private async Task WriteAsync()
    {
        _writing = true;
        try
        {
            while (_waiting.Count > 0 && _failure is null)
            {
                var taken = TakeCommit();
                var reports = taken.Count == 1 ? taken[0].Reports : taken.SelectMany(w => w.Reports).ToList();
                Task? followUp = null;
                try
                {
                    if (reports.Count > 0)
                    {
                        var writtenAt = clock.GetUtcNow();
                        var (payload, keys) = ReportCodec.Encode(reports);
                        var commit = new JournalCommit(LastSequence + 1, writtenAt, payload, keys);
                        await journal.AppendAsync(stream, [commit]);
                        LastSequence = commit.Sequence;
                        followUp = apply(new AppliedCommit(commit.Sequence, writtenAt, reports));
                    }
                }
                catch (Exception exception)
                {
                    _failure = exception;
                    foreach (var waiter in taken.Concat(_waiting)) waiter.Done.TrySetException(exception);
                    _waiting.Clear();
                    failed(exception);
                    return;
                }
                if (followUp is null) foreach (var waiter in taken) waiter.Done.TrySetResult();
                else _ = CompleteAfterAsync(taken, followUp);
            }
        }
        finally
        {
            _writing = false;
        }
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
            reports += next.Reports.Count;
            bytes += nextBytes;
        }
        return taken;
    }

    private sealed record Waiter(IReadOnlyList<Report> Reports, TaskCompletionSource Done);
}

/// <summary>A commit that is durable, handed to its owner to apply: its reports with their times resolved.</summary>
public sealed record AppliedCommit(long Sequence, DateTimeOffset WrittenAt, IReadOnlyList<Report> Reports);
