namespace Alerts.Grains.Policies;

/// <summary>
/// The event ids an organization recorded within the de-duplication window, so a report repeated within it counts
/// once (SPEC §2.1). Ids are 64-bit keys of (integration, event id): about 40 bytes each in memory (a hash-set slot
/// and a queue entry for expiry). This lives in memory only; a new activation rebuilds it from the journal's keys.
/// <para>
/// Keys are forgotten <see cref="Window"/> after they were recorded, or earlier when more than <see cref="MaxIds"/>
/// are remembered (the oldest go first). The chance that two of 4 million different ids share a key is about 4 in 10 million.
/// </para>
/// </summary>
public sealed class RecentEventIds(TimeSpan window, int maxIds)
{
    private readonly HashSet<ulong> _keys = [];
    private readonly Queue<(ulong Key, long RecordedAt)> _order = new();

    public TimeSpan Window { get; } = window;
    public int MaxIds { get; } = maxIds;
    public int Count => _keys.Count;

    /// <summary>Keys dropped before their window ended because <see cref="MaxIds"/> was reached.</summary>
    public long ForgottenEarly { get; private set; }

    public bool Contains(ulong key) => _keys.Contains(key);

    /// <summary>Remembers a key recorded at <paramref name="recordedAt"/>; false when it is already remembered.</summary>
    public bool Add(ulong key, DateTimeOffset recordedAt)
    {
        if (!_keys.Add(key)) return false;
        _order.Enqueue((key, recordedAt.UtcTicks));
        while (_keys.Count > MaxIds && _order.TryDequeue(out var oldest))
        {
            _keys.Remove(oldest.Key);
            ForgottenEarly++;
        }
        return true;
    }

    /// <summary>Forgets every key recorded before <c>now − Window</c>.</summary>
    public void Expire(DateTimeOffset now)
    {
        var before = (now - Window).UtcTicks;
        while (_order.TryPeek(out var oldest) && oldest.RecordedAt < before)
        {
            _order.Dequeue();
            _keys.Remove(oldest.Key);
        }
    }
}
