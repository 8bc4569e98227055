using System.Collections.Concurrent;

namespace Alerts.Contracts;

/// <summary>
/// Merges concurrent reports for the same organization into one <see cref="IOrganizationReports.ReportAsync"/> call,
/// so sending one attempt per call (or one event per HTTP request) costs about as much as sending batches.
/// <para>
/// Per organization at most <see cref="MaxCallsInFlight"/> calls are outstanding. A report that arrives while they
/// are all busy waits for the next call, which takes everything waiting (up to <see cref="MaxEventsPerCall"/> attempts):
/// at low load each report is sent at once, under load the calls grow instead of queueing up. Each caller is answered
/// with its own batch's result when that batch is durable, or with the call's exception.
/// </para>
/// Thread-safe; one instance per process is enough (the HTTP gateway registers one, an Orleans client can keep one).
/// </summary>
public sealed class ReportCoalescer(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, Queue> _queues = new(StringComparer.Ordinal);

    /// <summary>Calls to one organization outstanding at a time (the grain commits concurrent calls together too).</summary>
    public int MaxCallsInFlight { get; init; } = 2;

    /// <summary>Attempts merged into one call at most; a single batch larger than this still goes whole.</summary>
    public int MaxEventsPerCall { get; init; } = AttemptRules.MaxBatch;

    /// <summary>Reports one batch (all or nothing) for an organization, merged with whatever else is waiting for it.</summary>
    public Task<RecordResult> ReportAsync(string orgId, IReadOnlyList<Report> batch)
    {
        while (true)
        {
            var queue = _queues.GetOrAdd(orgId, static (id, owner) => new Queue(owner, id), this);
            if (queue.TryEnqueue(batch, out var result)) return result;
            // The queue went idle and was retired between the lookup and the enqueue: take a fresh one.
        }
    }

    private sealed class Queue(ReportCoalescer owner, string orgId)
    {
        private readonly Lock _lock = new();
        private List<Waiting> _waiting = [];
        private int _inFlight;
        private bool _retired;

        public bool TryEnqueue(IReadOnlyList<Report> batch, out Task<RecordResult> result)
        {
            var waiting = new Waiting(batch, new TaskCompletionSource<RecordResult>(TaskCreationOptions.RunContinuationsAsynchronously));
            List<Waiting>? send;
            lock (_lock)
            {
                if (_retired)
                {
                    result = Task.FromResult<RecordResult>(null!);
                    return false;
                }
                _waiting.Add(waiting);
                send = TakeIfFree();
            }
            if (send is not null) _ = SendAsync(send);
            result = waiting.Result.Task;
            return true;
        }

        /// <summary>Under the lock: the next call's batches, or null when the calls in flight are at the limit.</summary>
        private List<Waiting>? TakeIfFree()
        {
            if (_inFlight >= owner.MaxCallsInFlight || _waiting.Count == 0) return null;
            _inFlight++;
            var events = 0;
            var take = 0;
            while (take < _waiting.Count && (take == 0 || events + _waiting[take].Batch.Count <= owner.MaxEventsPerCall))
            {
                events += _waiting[take].Batch.Count;
                take++;
            }
            if (take == _waiting.Count)
            {
                var all = _waiting;
                _waiting = [];
                return all;
            }
            var first = _waiting.GetRange(0, take);
            _waiting.RemoveRange(0, take);
            return first;
        }

        private async Task SendAsync(List<Waiting> send)
        {
            while (send is not null)
            {
                try
                {
                    var results = await owner._grains.GetGrain<IOrganizationReports>(orgId).ReportAsync(send.Select(w => w.Batch).ToList());
                    for (var i = 0; i < send.Count; i++) send[i].Result.TrySetResult(results[i]);
                }
                catch (Exception exception)
                {
                    foreach (var waiting in send) waiting.Result.TrySetException(exception);
                }
                lock (_lock)
                {
                    _inFlight--;
                    send = TakeIfFree()!;
                    if (send is null && _inFlight == 0 && _waiting.Count == 0)
                    {
                        _retired = true;
                        owner._queues.TryRemove(new KeyValuePair<string, Queue>(orgId, this));
                    }
                }
            }
        }
    }

    private readonly IGrainFactory _grains = grains;

    private sealed record Waiting(IReadOnlyList<Report> Batch, TaskCompletionSource<RecordResult> Result);
}
