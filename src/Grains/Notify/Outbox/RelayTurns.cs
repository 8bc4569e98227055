using Alerts.Contracts;

namespace Alerts.Grains.Notify;

/// <summary>
/// Who gets the relay's next slot when messages of several organizations wait for it (SPEC §8: tenants share fairly).
/// Every waiting message asks; the slot goes to the first of those present in this order: alerts (threshold, connection,
/// webhook notices) before bulk (digests, platform-event copies), then the organization served longest ago
/// (round-robin: one slot per organization per round, however many messages or passes it has), then the oldest
/// notification. The others are told when to ask again from their place in line. A slot is given only when it is due
/// (within <see cref="Lead"/>), so a late arrival with a better place is not shut out by a slot promised long before.
/// Work-conserving: a waiter that does not come when expected (its silo died) is passed over after
/// <see cref="Absent"/> and forgotten after <see cref="ForgetAfter"/>. Pure: the time is given; memory only (a move of the
/// owning grain loses a round's order, never a slot).
/// </summary>
public sealed class RelayTurns
{
    /// <summary>A waiter this late for the time it was given is passed over until it asks again.</summary>
    public static readonly TimeSpan Absent = TimeSpan.FromSeconds(2);

    /// <summary>A waiter that has not asked for this long after its time is forgotten.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Waiter> _waiters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Served> _served = new(StringComparer.Ordinal);
    private long _turns;

    private sealed record Waiter(RelayTicket Ticket, DateTimeOffset ExpectedAt);

    private readonly record struct Served(long Turn, DateTimeOffset At);

    /// <summary>Waiters known now (bounded by the passes running in the cluster, and forgotten when they stop asking).</summary>
    public int Waiting => _waiters.Count;

    /// <summary>How early a slot is given before it is due: a quarter of the spacing, 50 ms to 1 s.</summary>
    public static TimeSpan Lead(TimeSpan spacing) =>
        TimeSpan.FromTicks(Math.Clamp(spacing.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));

    /// <summary>
    /// The caller's turn for the slot <paramref name="next"/> (the relay schedule's next free one): granted — send at that
    /// time — or not yet, with when to ask again.
    /// </summary>
    public RelayTurn Ask(RelayTicket ticket, DateTimeOffset now, DateTimeOffset next, TimeSpan spacing)
    {
        Forget(now);
        _waiters[ticket.WaiterId] = new Waiter(ticket, now);
        var line = _waiters.Values.OrderBy(w => w.Ticket.Priority)
            .ThenBy(w => _served.TryGetValue(w.Ticket.OrgId, out var served) ? served.Turn : -1)
            .ThenBy(w => w.Ticket.Since)
            .ThenBy(w => w.Ticket.WaiterId, StringComparer.Ordinal)
            .ToList();
        var lead = Lead(spacing);
        var first = line.First(w => w.Ticket.WaiterId == ticket.WaiterId || IsPresent(w, now, next));
        if (first.Ticket.WaiterId == ticket.WaiterId)
        {
            if (next - now <= lead)
            {
                // A pass with more messages stays in line, expected back once this one is sent: it keeps its place
                // among its organization's notifications (oldest first), behind the other organizations of the round.
                if (ticket.More) _waiters[ticket.WaiterId] = new Waiter(ticket, next);
                else _waiters.Remove(ticket.WaiterId);
                _served[ticket.OrgId] = new Served(++_turns, now);
                return new RelayTurn(true, next);
            }
            return Wait(ticket, next - lead, now);
        }
        var place = line.FindIndex(w => w.Ticket.WaiterId == ticket.WaiterId);
        return Wait(ticket, next + spacing * place - lead, now);
    }

    /// <summary>Expected in time for the slot: told to come back by then, and not so late that it seems gone.</summary>
    private static bool IsPresent(Waiter waiter, DateTimeOffset now, DateTimeOffset next) =>
        waiter.ExpectedAt <= next && waiter.ExpectedAt >= now - Absent;

    private RelayTurn Wait(RelayTicket ticket, DateTimeOffset at, DateTimeOffset now)
    {
        // Never sooner than a moment from now: a waiter is not made to spin.
        var askAt = at > now + MinimumWait ? at : now + MinimumWait;
        _waiters[ticket.WaiterId] = new Waiter(ticket, askAt);
        return new RelayTurn(false, askAt);
    }

    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(20);

    private void Forget(DateTimeOffset now)
    {
        foreach (var gone in _waiters.Values.Where(w => w.ExpectedAt + ForgetAfter < now).ToList()) _waiters.Remove(gone.Ticket.WaiterId);
        // The round's memory: organizations served within the last minute, or still waiting. Bounded by the organizations
        // the relay serves in a minute (its limit) and the waiters.
        if (_served.Count <= 2 * _waiters.Count + 64) return;
        var waiting = _waiters.Values.Select(w => w.Ticket.OrgId).ToHashSet(StringComparer.Ordinal);
        foreach (var (org, served) in _served.Where(s => s.Value.At + ForgetAfter < now && !waiting.Contains(s.Key)).ToList()) _served.Remove(org);
    }
}

/// <summary>
/// Why the relay is asked: one message of a pass (<see cref="WaiterId"/>), for an organization, of a priority, of a
/// notification decided at <see cref="Since"/>; <see cref="More"/> when the pass has messages after this one.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.relay-ticket")]
public sealed record RelayTicket(
    [property: Id(0)] string WaiterId,
    [property: Id(1)] string OrgId,
    [property: Id(2)] int Priority,
    [property: Id(3)] DateTimeOffset Since,
    [property: Id(4)] bool More = false);

/// <summary>The relay's answer: send at <see cref="At"/> (granted), or ask again at <see cref="At"/>.</summary>
[GenerateSerializer, Immutable, Alias("alerts.relay-turn")]
public sealed record RelayTurn(
    [property: Id(0)] bool Granted,
    [property: Id(1)] DateTimeOffset At);

/// <summary>Which notifications go first when the relay is shared: alerts before bulk.</summary>
public static class RelayPriority
{
    public const int Alert = 0;
    public const int Bulk = 1;

    /// <summary>Threshold and connection alerts and webhook notices are timely; digests and platform-event copies can wait a little.</summary>
    public static int Of(NotificationKind kind) =>
        kind is NotificationKind.Digest or NotificationKind.PlatformEvent or NotificationKind.PlatformEventSummary ? Bulk : Alert;
}
