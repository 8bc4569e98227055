using System.IO.Hashing;
using System.Text;

namespace Alerts.Grains.Policies;

/// <summary>
/// The event ids an integration recorded most recently, to count a re-reported event once (SPEC §2.1).
/// Ids are kept as 64-bit hashes in a ring of fixed capacity, so the state stays small and its size fixed;
/// the chance that two different ids collide among 10,000 is about 3 in a trillion.
/// </summary>
[GenerateSerializer, Alias("alerts.recent-event-ids")]
public sealed class RecentEventIds
{
    [Id(0)] public ulong[] Ring { get; set; } = [];
    [Id(1)] public int Next { get; set; }
    [Id(2)] public int Count { get; set; }

    [NonSerialized] private HashSet<ulong>? _index;

    /// <summary>False when the id is already among the recent ones; otherwise remembers it (forgetting the oldest if full).</summary>
    public bool TryAdd(string eventId, int capacity)
    {
        EnsureCapacity(capacity);
        var index = Index();
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(eventId));
        if (!index.Add(hash)) return false;
        if (Count == Ring.Length) index.Remove(Ring[Next]);
        else Count++;
        Ring[Next] = hash;
        Next = (Next + 1) % Ring.Length;
        return true;
    }

    public bool Contains(string eventId) =>
        Index().Contains(XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(eventId)));

    private HashSet<ulong> Index()
    {
        if (_index is not null) return _index;
        _index = new HashSet<ulong>(Count);
        for (var i = 0; i < Count; i++) _index.Add(Ring[(Next - Count + i + Ring.Length) % Ring.Length]);
        return _index;
    }

    private void EnsureCapacity(int capacity)
    {
        if (Ring.Length == capacity) return;
        // Keep the newest ids that fit in the new capacity, oldest first.
        var keep = Math.Min(Count, capacity);
        var resized = new ulong[capacity];
        for (var i = 0; i < keep; i++) resized[i] = Ring[(Next - keep + i + Ring.Length) % Ring.Length];
        Ring = resized;
        Count = keep;
        Next = keep % capacity;
        _index = null;
    }
}
