using System.IO.Hashing;
using System.Runtime.InteropServices;
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
    /// <summary>The ring of hashes as raw bytes (8 per id): serialized as one block rather than 10,000 numbers.</summary>
    [Id(3)] public byte[] Hashes { get; set; } = [];
    [Id(1)] public int Next { get; set; }
    [Id(2)] public int Count { get; set; }

    private Span<ulong> Ring => MemoryMarshal.Cast<byte, ulong>(Hashes.AsSpan());

    [NonSerialized] private HashSet<ulong>? _index;

    /// <summary>False when the id is already among the recent ones; otherwise remembers it (forgetting the oldest if full).</summary>
    public bool TryAdd(string eventId, int capacity)
    {
        EnsureCapacity(capacity);
        var index = Index();
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(eventId));
        if (!index.Add(hash)) return false;
        var ring = Ring;
        if (Count == ring.Length) index.Remove(ring[Next]);
        else Count++;
        ring[Next] = hash;
        Next = (Next + 1) % ring.Length;
        return true;
    }

    public bool Contains(string eventId) =>
        Index().Contains(XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(eventId)));

    private HashSet<ulong> Index()
    {
        if (_index is not null) return _index;
        _index = new HashSet<ulong>(Count);
        var ring = Ring;
        for (var i = 0; i < Count; i++) _index.Add(ring[(Next - Count + i + ring.Length) % ring.Length]);
        return _index;
    }

    private void EnsureCapacity(int capacity)
    {
        var ring = Ring;
        if (ring.Length == capacity) return;
        // Keep the newest ids that fit in the new capacity, oldest first.
        var keep = Math.Min(Count, capacity);
        var resized = new byte[capacity * sizeof(ulong)];
        var target = MemoryMarshal.Cast<byte, ulong>(resized.AsSpan());
        for (var i = 0; i < keep; i++) target[i] = ring[(Next - keep + i + ring.Length) % ring.Length];
        Hashes = resized;
        Count = keep;
        Next = keep % capacity;
        _index = null;
    }
}
