namespace Alerts.Silo.Notify.Delivery;

/// <summary>
/// The places of a silo's delivery passes (<c>Alerts:Outbox:MaxPassesPerSilo</c>), given fairly: when one frees, it
/// goes to a waiting alert before a waiting digest or platform-event copy, and among those to the organizations in
/// turn (round-robin), oldest notification first within one; no organization holds more than
/// <c>MaxPassesPerOrganization</c> places. So a digest round across thousands of organizations, or one tenant's
/// burst of platform events, does not queue another organization's threshold alert behind it. O(1) per pass
/// (a queue per organization and priority, a ring of organizations per priority).
/// </summary>
public sealed class PassGate(int places, int perOrganization)
{
    private const int Priorities = 2;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Org, int Priority), PriorityQueue<Waiter, DateTimeOffset>> _queues = [];
    private readonly Queue<string>[] _rings = [new(), new()];
    private readonly HashSet<string>[] _inRing = [new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private readonly int _places = places;
    private int _free = places;

    private sealed class Waiter(string org)
    {
        public string Org { get; } = org;
        public TaskCompletionSource Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Passes running now (for tests and logs).</summary>
    public int Running
    {
        get
        {
            lock (_lock) return _places - _free;
        }
    }

    /// <summary>Waits for a place for a pass of <paramref name="org"/>; <see cref="Leave"/> gives it back.</summary>
    public async Task EnterAsync(string org, int priority, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(org);
        priority = Math.Clamp(priority, 0, Priorities - 1);
        lock (_lock)
        {
            var key = (org, priority);
            if (!_queues.TryGetValue(key, out var queue)) _queues[key] = queue = new PriorityQueue<Waiter, DateTimeOffset>();
            queue.Enqueue(waiter, since);
            if (_inRing[priority].Add(org)) _rings[priority].Enqueue(org);
            AdmitLocked();
        }
        await using var registration = cancellationToken.Register(() => waiter.Admitted.TrySetCanceled(cancellationToken));
        try
        {
            await waiter.Admitted.Task;
        }
        catch (OperationCanceledException)
        {
            // Admitted at the same moment it was cancelled: give the place back.
            lock (_lock)
            {
                if (waiter.Admitted.Task.IsCompletedSuccessfully) LeaveLocked(org);
            }
            throw;
        }
    }

    /// <summary>Gives back a place taken by <see cref="EnterAsync"/> and lets the next waiter in.</summary>
    public void Leave(string org)
    {
        lock (_lock) LeaveLocked(org);
    }

    private void LeaveLocked(string org)
    {
        _free++;
        if (_held.TryGetValue(org, out var held) && held > 1) _held[org] = held - 1;
        else _held.Remove(org);
        AdmitLocked();
    }

    private void AdmitLocked()
    {
        while (_free > 0 && NextLocked() is { } waiter)
        {
            // A cancelled waiter is skipped; its place stays free for the next.
            if (!waiter.Admitted.TrySetResult()) continue;
            _free--;
            _held[waiter.Org] = _held.GetValueOrDefault(waiter.Org) + 1;
        }
    }

    /// <summary>The next waiter by priority, then organization in turn; an organization at its share is passed over.</summary>
    private Waiter? NextLocked()
    {
        for (var priority = 0; priority < Priorities; priority++)
        {
            var ring = _rings[priority];
            for (var looked = ring.Count; looked > 0; looked--)
            {
                var org = ring.Dequeue();
                var queue = _queues[(org, priority)];
                if (_held.GetValueOrDefault(org) >= perOrganization)
                {
                    ring.Enqueue(org);
                    continue;
                }
                var waiter = queue.Dequeue();
                if (queue.Count > 0) ring.Enqueue(org);
                else
                {
                    _queues.Remove((org, priority));
                    _inRing[priority].Remove(org);
                }
                return waiter;
            }
        }
        return null;
    }
}
