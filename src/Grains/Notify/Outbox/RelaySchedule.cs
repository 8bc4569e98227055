namespace Alerts.Grains.Notify;

/// <summary>
/// The relay limit as a pure function of the slots already given: the next slot such that no window holds more than
/// the limit, and messages are paced evenly — a small burst (a tenth of the limit, at least one) goes at once, then one
/// every <c>window / limit</c>. Pacing is what lets a second organization in quickly: without it one large alert takes
/// the whole window at once and anyone after it waits for the window to pass (issue 17: 58 s at 30 a minute).
/// </summary>
public static class RelaySchedule
{
    /// <summary>Slots that may go at once before pacing applies.</summary>
    public static int Burst(int limit) => Math.Max(1, limit / 10);

    /// <summary>The even spacing of slots under the limit.</summary>
    public static TimeSpan Spacing(int limit, TimeSpan window) => limit <= 0 ? TimeSpan.Zero : window / limit;

    /// <summary>
    /// The earliest slot at or after <paramref name="now"/> and every earlier slot that keeps every <paramref name="window"/>
    /// at <paramref name="limit"/> slots or fewer and every <see cref="Burst"/> × <see cref="Spacing"/> at a burst or fewer.
    /// A limit of 0 or less is no limit.
    /// </summary>
    public static DateTimeOffset Next(IReadOnlyList<long> slots, DateTimeOffset now, int limit, TimeSpan window)
    {
        if (limit <= 0) return now;
        var slot = now;
        if (slots.Count > 0) slot = Max(slot, At(slots[^1]));
        var burst = Burst(limit);
        if (slots.Count >= burst) slot = Max(slot, At(slots[^burst]) + Spacing(limit, window) * burst);
        // The slot `limit` places back must be a whole window earlier.
        if (slots.Count >= limit) slot = Max(slot, At(slots[^limit]) + window);
        return slot;
    }

    /// <summary>Records a slot given out, keeping only the last <paramref name="limit"/> (all that <see cref="Next"/> reads).</summary>
    public static void Take(List<long> slots, DateTimeOffset slot, int limit)
    {
        if (limit <= 0) return;
        slots.Add(slot.UtcTicks);
        if (slots.Count > limit) slots.RemoveRange(0, slots.Count - limit);
    }

    /// <summary><see cref="Next"/> and <see cref="Take"/> in one: the next slot, given out.</summary>
    public static DateTimeOffset Reserve(List<long> slots, DateTimeOffset now, int limit, TimeSpan window)
    {
        var slot = Next(slots, now, limit, window);
        Take(slots, slot, limit);
        return slot;
    }

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
