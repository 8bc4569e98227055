using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.Stores;
using Alerts.Grains.Notify;
using Alerts.Grains.Organization;
using Alerts.Contracts.Telemetry;
using Alerts.Grains.Mutes;

namespace Alerts.Grains.Connections;

/// <summary>
/// An organization's connections (SPEC §4): rows of the directory, held in memory while active. A change of state is
/// decided by <see cref="ConnectionPolicy"/>; a notice goes through the same hand-over as a threshold decision (written
/// in the snapshot first), with an id fixed by the connection's notice count, so a notice decided twice is sent once.
/// The <c>connection-holds</c> reminder ends holds. A mute in force makes a change's hold last until the mute's end
/// (issue 22), so the followers hear the final state once when it ends.
/// <para>
/// Holds stay here rather than in a grain per connection: a hold's end needs the organization's users (who is told)
/// and its snapshot (the notice is written there first), and one reminder for the earliest hold serves them all.
/// </para>
/// </summary>
internal sealed class ConnectionBook(
    IOrganizationHost host, IOrganizationDirectory directory, Members members, HandOver handOver, ReminderTable reminders,
    ConnectionOptions options, QuotaOptions quotas, MuteBook mutes)
{
    private const string HoldsReminder = "connection-holds";

    private readonly Dictionary<string, ConnectionView> _connections = new(StringComparer.Ordinal);

    /// <summary>
    /// Connection changes one at a time, each decided on the state as stored by the one before: a report arriving while
    /// another is being written cannot decide on the state before it (and be lost, or tell a stale state).
    /// </summary>
    private readonly OneAtATime _changes = new();

    public void RegisterReminders() => reminders.Handle(HoldsReminder, EndHoldsAsync);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in await directory.ListConnectionsAsync(host.OrgId, cancellationToken))
            _connections[connection.ConnectionId] = connection;
    }

    public bool Exists(string connectionId) => _connections.ContainsKey(connectionId);

    public bool AnyHeld => _connections.Values.Any(connection => connection.HoldUntil is not null);

    public async Task<ConnectionView?> PutAsync(string connectionId, ConnectionProfile profile)
    {
        for (var i = 0; i < profile.IntegrationIds.Count; i++)
        {
            if (!members.Integrations.ContainsKey(profile.IntegrationIds[i]))
                ProfileRules.ThrowIfInvalid(($"integration_ids[{i}]", $"'{profile.IntegrationIds[i]}' is not an integration of this organization"));
        }
        var stored = profile with { IntegrationIds = profile.IntegrationIds.Distinct(StringComparer.Ordinal).ToList() };
        return await _changes.RunAsync(async () =>
        {
            var exists = _connections.TryGetValue(connectionId, out var known);
            if (!exists && _connections.Count >= quotas.Connections) throw QuotaOptions.Reached("connections", quotas.Connections, "connections");
            var connection = exists ? known! with { Profile = stored } : ConnectionPolicy.Created(connectionId, stored);
            await directory.PutConnectionAsync(host.OrgId, connection);
            _connections[connectionId] = connection;
            return (ConnectionView?)connection;
        });
    }

    public ConnectionView? Get(string connectionId) => _connections.GetValueOrDefault(connectionId);

    public IEnumerable<ConnectionView> All => _connections.Values;

    public Task<ConnectionView?> SetStatusAsync(string connectionId, bool online) => _changes.RunAsync(async () =>
    {
        if (!_connections.TryGetValue(connectionId, out var connection)) return null;
        if (connection.Online == online) return connection;
        // Muted: the change is recorded and held until the mute ends, as a hold would hold it.
        var basis = mutes.ConnectionMutedUntil(connectionId, host.Now) is { } until && (connection.HoldUntil is null || connection.HoldUntil < until)
            ? connection with { HoldUntil = until }
            : connection;
        var (next, notify) = ConnectionPolicy.Report(basis, online, host.Now, options.HoldPeriod);
        if (next == connection) return connection;
        await ChangeAsync(next, notify);
        return next;
    });

    /// <summary>
    /// Stores a connection's new state; a notice is written in the snapshot first and handed over after the row is
    /// stored. A crash between the two leaves the row as it was: the same change reported again decides the same notice
    /// (same id), which the outbox takes once.
    /// </summary>
    private async Task ChangeAsync(ConnectionView next, bool notify)
    {
        OutboxEntry? notice = null;
        if (notify)
        {
            notice = Notice(next);
            host.State.HandOvers.Add(notice);
            await host.SaveAsync();
        }
        await directory.PutConnectionAsync(host.OrgId, next);
        _connections[next.ConnectionId] = next;
        await SyncHoldsReminderAsync();
        if (notice is not null) _ = handOver.HandOverAsync([notice], host.State.JournalPosition);
    }

    private OutboxEntry Notice(ConnectionView connection)
    {
        var profile = host.State.Profile!;
        // The first integrations by name (a notice lives in the snapshot until the outbox has it: it stays small).
        var names = connection.Profile.IntegrationIds
            .Take(ConnectionNotice.IntegrationsNamed)
            .Select(id => members.Integrations.TryGetValue(id, out var known) ? $"{known.Name} ({id})" : id)
            .ToList();
        var changedAt = connection.ChangedAt ?? host.Now;
        var notice = new ConnectionNotice(host.OrgId, profile.Name, profile.Environment, profile.Production, connection.ConnectionId,
            connection.Profile.Name, connection.Online, changedAt, names, connection.Profile.IntegrationIds.Count);
        return new OutboxEntry
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"connection-{connection.ConnectionId}-{connection.Notices}"),
            Payload = notice,
            Subject = notice.Subject,
            CreatedAt = host.Now,
            TraceParent = AlertsTelemetry.CurrentTraceParent(),
        };
    }

    /// <summary>Ends the holds that are due: one notice each whose final state differs from the last one told.</summary>
    private Task EndHoldsAsync() => _changes.RunAsync(() => EndDueHoldsAsync(host.Now));

    private async Task EndDueHoldsAsync(DateTimeOffset now)
    {
        foreach (var id in _connections.Values.Where(c => c.HoldUntil <= now).Select(c => c.ConnectionId).ToList())
        {
            var connection = _connections[id];
            var (next, notify) = ConnectionPolicy.HoldEnded(connection, now, options.HoldPeriod);
            if (next != connection) await ChangeAsync(next, notify);
        }
        await SyncHoldsReminderAsync();
    }

    /// <summary>
    /// A mute started, ended or moved: each hold lasts until the later of its own flapping hold (after its last notice) and
    /// the end of a mute still holding it; holds that are due now end at once (one notice each if the state changed).
    /// </summary>
    public Task MutesChangedAsync() => _changes.RunAsync(async () =>
    {
        var now = host.Now;
        foreach (var connection in _connections.Values.Where(c => c.HoldUntil is not null).ToList())
        {
            var flapping = connection.NotifiedAt is { } told ? told + options.HoldPeriod : now;
            var wanted = mutes.ConnectionMutedUntil(connection.ConnectionId, now) is { } muted && muted > flapping ? muted : flapping;
            if (wanted == connection.HoldUntil) continue;
            var moved = connection with { HoldUntil = wanted };
            await directory.PutConnectionAsync(host.OrgId, moved);
            _connections[moved.ConnectionId] = moved;
        }
        await EndDueHoldsAsync(now);
    });

    /// <summary>Keeps the holds reminder due when the earliest hold ends; removes it when nothing is held.</summary>
    public Task SyncHoldsReminderAsync() => reminders.SyncAsync(HoldsReminder, () =>
    {
        if (_connections.Values.Where(c => c.HoldUntil is not null).Min(c => c.HoldUntil) is not { } until) return null;
        var due = until - host.Now;
        return (due > TimeSpan.Zero ? due : TimeSpan.Zero, options.HoldPeriod);
    });
}
