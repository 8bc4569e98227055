using Alerts.Contracts;

namespace Alerts.Grains.Connections;

/// <summary>
/// When a connection's followers are told about a change of state (SPEC §4), pure. The first change after a quiet
/// period is told at once and starts a hold; changes during the hold are only recorded, and when it ends one notice
/// tells the final state if it differs from the last one told (a connection that flapped back is not reported). A
/// notice at the end of a hold starts a new hold, so a connection flapping for an hour sends one notice per hold.
/// </summary>
public static class ConnectionPolicy
{
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMinutes(5);

    /// <summary>A new connection: online, nobody told anything yet (there is nothing to tell).</summary>
    public static ConnectionView Created(string connectionId, ConnectionProfile profile) =>
        new(connectionId, profile, Online: true, ChangedAt: null, NotifiedOnline: true, NotifiedAt: null, HoldUntil: null);

    /// <summary>The state reported at <paramref name="now"/>; <c>Notify</c> when a notice with it goes out now.</summary>
    public static (ConnectionView State, bool Notify) Report(ConnectionView connection, bool online, DateTimeOffset now, TimeSpan hold)
    {
        if (connection.Online == online) return (connection, false);
        var changed = connection with { Online = online, ChangedAt = now };
        if (connection.HoldUntil is { } until && now < until) return (changed, false);
        if (online == connection.NotifiedOnline) return (changed with { HoldUntil = null }, false);
        return (changed with { NotifiedOnline = online, NotifiedAt = now, HoldUntil = now + hold, Notices = connection.Notices + 1 }, true);
    }

    /// <summary>The hold ended at or before <paramref name="now"/>: one notice if the state differs from the last told.</summary>
    public static (ConnectionView State, bool Notify) HoldEnded(ConnectionView connection, DateTimeOffset now, TimeSpan hold)
    {
        if (connection.HoldUntil is not { } until || until > now) return (connection, false);
        if (connection.Online == connection.NotifiedOnline) return (connection with { HoldUntil = null }, false);
        return (connection with { NotifiedOnline = connection.Online, NotifiedAt = now, HoldUntil = now + hold, Notices = connection.Notices + 1 }, true);
    }
}
