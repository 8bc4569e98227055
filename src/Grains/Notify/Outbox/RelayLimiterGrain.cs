using Microsoft.Extensions.Options;

namespace Alerts.Grains.Notify;

/// <summary>
/// The relay's rate limit for the whole cluster: at most <see cref="RelayLimitOptions.MaxMessagesPerWindow"/> slots in
/// any <see cref="RelayLimitOptions.RateWindow"/>, whichever silo sends. A slot is the earliest time at which no window
/// would hold more; reservations queue, none is refused. The slots of the last window are stored (at most the limit),
/// so a move of this grain to another silo cannot hand out a second window's worth at once. Real time, not Alerts'
/// clock: the relay counts real seconds.
/// </summary>
[Reentrant]
public sealed class RelayLimiterGrain(
    [PersistentState("relay", StorageNames.Grains)] IPersistentState<RelayLimiterState> state,
    TimeProvider clock,
    IOptions<RelayLimitOptions> options)
    : Grain, IRelayLimiter
{
    public async Task<DateTimeOffset> ReserveAsync()
    {
        var slot = RelaySchedule.Reserve(state.State.Slots, clock.GetUtcNow(), options.Value.MaxMessagesPerWindow, options.Value.RateWindow);
        if (options.Value.MaxMessagesPerWindow <= 0) return slot;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not stored, so not given: the caller retries, and this activation reloads what is stored.
            this.DeactivateOnIdle();
            throw;
        }
        return slot;
    }
}

/// <summary>The relay limit as a pure function: the next slot such that no window holds more than the limit.</summary>
public static class RelaySchedule
{
    /// <summary>
    /// Reserves the earliest slot at or after <paramref name="now"/> (and after every earlier slot) that keeps every
    /// <paramref name="window"/> at <paramref name="limit"/> slots or fewer, adds it to <paramref name="slots"/> and keeps
    /// only the last <paramref name="limit"/>. A limit of 0 or less is no limit.
    /// </summary>
    public static DateTimeOffset Reserve(List<long> slots, DateTimeOffset now, int limit, TimeSpan window)
    {
        if (limit <= 0) return now;
        var slot = now;
        if (slots.Count > 0) slot = Max(slot, At(slots[^1]));
        // The slot `limit` places back must be a whole window earlier.
        if (slots.Count >= limit) slot = Max(slot, At(slots[^limit]) + window);
        slots.Add(slot.UtcTicks);
        if (slots.Count > limit) slots.RemoveRange(0, slots.Count - limit);
        return slot;
    }

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

[GenerateSerializer, Alias("alerts.relay-limiter-state")]
public sealed class RelayLimiterState
{
    /// <summary>The latest reserved slots (UTC ticks), ascending; at most the limit.</summary>
    [Id(0)] public List<long> Slots { get; set; } = [];
}
