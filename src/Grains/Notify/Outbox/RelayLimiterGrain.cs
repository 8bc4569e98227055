using Microsoft.Extensions.Options;

namespace Alerts.Grains.Notify;

/// <summary>
/// A relay's rate limit for the whole cluster (key: the relay's name; each channel names the relay it sends through),
/// shared fairly: at most <see cref="RelayLimit.MaxMessagesPerWindow"/> slots in any <see cref="RelayLimit.RateWindow"/>, paced evenly (<see cref="RelaySchedule"/>), whichever silo
/// sends; when messages of several organizations wait, <see cref="RelayTurns"/> decides whose is next. The slots of the
/// last window are stored (at most the limit), so a move of this grain to another silo cannot hand out a second window's
/// worth at once; the line of waiters is memory (waiters ask again). Real time, not Alerts' clock: the relay counts real
/// seconds.
/// </summary>
[Reentrant]
public sealed class RelayLimiterGrain(
    [PersistentState("relay", StorageNames.Grains)] IPersistentState<RelayLimiterState> state,
    TimeProvider clock,
    IOptions<RelayLimitOptions> options)
    : Grain, IRelayLimiter
{
    private readonly RelayTurns _turns = new();

    public async Task<RelayTurn> TakeTurnAsync(RelayTicket ticket)
    {
        var relay = options.Value.For(this.GetPrimaryKeyString());
        var (limit, window) = (relay.MaxMessagesPerWindow, relay.RateWindow);
        var now = clock.GetUtcNow();
        if (limit <= 0) return new RelayTurn(true, now);
        var next = RelaySchedule.Next(state.State.Slots, now, limit, window);
        var turn = _turns.Ask(ticket, now, next, RelaySchedule.Spacing(limit, window));
        if (!turn.Granted) return turn;
        RelaySchedule.Take(state.State.Slots, turn.At, limit);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not stored, so not given: the caller asks again, and this activation reloads what is stored.
            this.DeactivateOnIdle();
            throw;
        }
        return turn;
    }
}

[GenerateSerializer, Alias("alerts.relay-limiter-state")]
public sealed class RelayLimiterState
{
    /// <summary>The latest reserved slots (UTC ticks), ascending; at most the limit.</summary>
    [Id(0)] public List<long> Slots { get; set; } = [];
}
