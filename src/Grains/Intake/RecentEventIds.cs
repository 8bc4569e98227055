namespace Alerts.Grains.Intake;

/// <summary>
/// The event ids an organization recorded within the de-duplication window, so a report repeated within it counts
/// once (SPEC §2.1). Ids are 64-bit keys of (integration, event id), held in a hash set and, for expiry, in one list per
/// minute of recording: about 30 bytes each in memory, and no single array that doubles with the count. This lives in
/// memory only; a new activation rebuilds it from the journal's keys.
/// <para>
/// Keys are forgotten once the minute they were recorded in is more than <see cref="Window"/> ago (so kept between
/// the window and a minute more), or earlier when more than <see cref="MaxIds"/> are remembered (the oldest go first).
/// The chance that two of 4 million different ids share a key is about 4 in 10 million.
/// </para>
/// </summary>
public sealed class RecentEventIds(TimeSpan window, int maxIds)
{
    private readonly HashSet<ulong> _keys = [];
    private readonly Queue<Minute> _minutes = new();
    private Minute? _current;

    /// <summary>How many keys of the oldest minute were already forgotten early (over <see cref="MaxIds"/>).</summary>
    private int _oldestForgotten;

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
        var minute = recordedAt.UtcTicks / TimeSpan.TicksPerMinute;
        // Times go forward (a late one joins the newest minute: it is then kept a little longer, never shorter).
        if (_current is null || minute > _current.Index)
        {
            _current = new Minute(minute);
            _minutes.Enqueue(_current);
        }
        _current.Keys.Add(key);
        while (_keys.Count > MaxIds) ForgetOldest();
        return true;
    }

    /// <summary>Forgets every key recorded in a minute that ended before <c>now − Window</c>.</summary>
    public void Expire(DateTimeOffset now)
    {
        var lastExpired = (now - Window).UtcTicks / TimeSpan.TicksPerMinute - 1;
        while (_minutes.TryPeek(out var oldest) && oldest.Index <= lastExpired)
        {
            for (var i = _oldestForgotten; i < oldest.Keys.Count; i++) _keys.Remove(oldest.Keys[i]);
            _minutes.Dequeue();
            _oldestForgotten = 0;
            if (ReferenceEquals(oldest, _current)) _current = null;
        }
    }

    private void ForgetOldest()
    {
        var oldest = _minutes.Peek();
        _keys.Remove(oldest.Keys[_oldestForgotten++]);
        ForgottenEarly++;
        if (_oldestForgotten < oldest.Keys.Count) return;
        _minutes.Dequeue();
        _oldestForgotten = 0;
        if (ReferenceEquals(oldest, _current)) _current = null;
    }

    private sealed class Minute(long index)
    {
        public long Index { get; } = index;
        public List<ulong> Keys { get; } = [];
    }
}
