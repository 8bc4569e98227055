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
        var limit = options.Value.MaxMessagesPerWindow;
        var window = options.Value.RateWindow;
        var now = clock.GetUtcNow();
        if (limit <= 0) return now;
        var slots = state.State.Slots;
        // The next slot: now, or one window after the slot `limit` places back, whichever is later.
        var slot = slots.Count < limit ? now : Max(now, new DateTimeOffset(slots[^limit], TimeSpan.Zero) + window);
        if (slots.Count > 0) slot = Max(slot, new DateTimeOffset(slots[^1], TimeSpan.Zero));
        slots.Add(slot.UtcTicks);
        if (slots.Count > limit) slots.RemoveRange(0, slots.Count - limit);
        await state.WriteStateAsync();
        return slot;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

[GenerateSerializer, Alias("alerts.relay-limiter-state")]
public sealed class RelayLimiterState
{
    /// <summary>The latest reserved slots (UTC ticks), ascending; at most the limit.</summary>
    [Id(0)] public List<long> Slots { get; set; } = [];
}
