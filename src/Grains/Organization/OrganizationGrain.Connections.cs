using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.Connections;
using Alerts.Grains.Notify;

namespace Alerts.Grains.Organization;

/// <summary>
/// Connections (SPEC §4): rows of the directory, kept in memory while active. A change of state is decided by
/// <see cref="ConnectionPolicy"/>; a notice goes through the same hand-over as a threshold decision (written in the
/// snapshot first), with an id fixed by the connection's notice count, so a notice decided twice is sent once. The
/// <c>connection-holds</c> reminder ends holds.
/// </summary>
public sealed partial class OrganizationGrain
{
    private const string HoldsReminder = "connection-holds";

    private readonly Dictionary<string, ConnectionView> _connections = new(StringComparer.Ordinal);

    /// <summary>
    /// Connection changes one at a time, each decided on the state as stored by the one before: a report arriving while
    /// another is being written cannot decide on the state before it (and be lost, or tell a stale state).
    /// </summary>
    private readonly OneAtATime _connectionChanges = new();

    public async Task<ConnectionView?> PutConnectionAsync(string connectionId, ConnectionProfile profile)
    {
        if (!GrainKeys.IsValidId(connectionId)) throw new ArgumentException($"'{connectionId}' is not a valid id", nameof(connectionId));
        ProfileRules.ThrowIfInvalid(ProfileRules.Check(profile));
        if (State.Profile is null) return null;
        for (var i = 0; i < profile.IntegrationIds.Count; i++)
        {
            if (!_integrations.ContainsKey(profile.IntegrationIds[i]))
                ProfileRules.ThrowIfInvalid(($"integration_ids[{i}]", $"'{profile.IntegrationIds[i]}' is not an integration of this organization"));
        }
        var stored = profile with { IntegrationIds = profile.IntegrationIds.Distinct(StringComparer.Ordinal).ToList() };
        return await _connectionChanges.RunAsync(async () =>
        {
            var connection = _connections.TryGetValue(connectionId, out var known)
                ? known with { Profile = stored }
                : ConnectionPolicy.Created(connectionId, stored);
            await directory.PutConnectionAsync(OrgId, connection);
            _connections[connectionId] = connection;
            return (ConnectionView?)connection;
        });
    }

    public Task<ConnectionView?> GetConnectionAsync(string connectionId) => Task.FromResult(_connections.GetValueOrDefault(connectionId));

    public Task<IReadOnlyList<ConnectionView>> ListConnectionsAsync() =>
        Task.FromResult<IReadOnlyList<ConnectionView>>(_connections.Values.OrderBy(c => c.ConnectionId, StringComparer.Ordinal).ToList());

    public Task<ConnectionView?> SetConnectionStatusAsync(string connectionId, bool online) => _connectionChanges.RunAsync(async () =>
    {
        if (!_connections.TryGetValue(connectionId, out var connection)) return null;
        var (next, notify) = ConnectionPolicy.Report(connection, online, Now, connectionOptions.Value.HoldPeriod);
        if (next == connection) return connection;
        await ChangeConnectionAsync(next, notify);
        return next;
    });

    /// <summary>
    /// Stores a connection's new state; a notice is written in the snapshot first and handed over after the row is
    /// stored. A crash between the two leaves the row as it was: the same change reported again decides the same notice
    /// (same id), which the outbox takes once.
    /// </summary>
    private async Task ChangeConnectionAsync(ConnectionView next, bool notify)
    {
        OutboxEntry? notice = null;
        if (notify)
        {
            notice = ConnectionEntry(next);
            State.HandOvers.Add(notice);
            await SaveAsync();
        }
        await directory.PutConnectionAsync(OrgId, next);
        _connections[next.ConnectionId] = next;
        await SyncHoldsReminderAsync();
        if (notice is not null) _ = HandOverAsync([notice], State.JournalPosition);
    }

    private OutboxEntry ConnectionEntry(ConnectionView connection)
    {
        var profile = State.Profile!;
        // The first integrations by name (a notice lives in the snapshot until the outbox has it: it stays small).
        var names = connection.Profile.IntegrationIds
            .Take(ConnectionNotice.IntegrationsNamed)
            .Select(id => _integrations.TryGetValue(id, out var known) ? $"{known.Name} ({id})" : id)
            .ToList();
        var changedAt = connection.ChangedAt ?? Now;
        var notice = new ConnectionNotice(OrgId, profile.Name, profile.Environment, profile.Production, connection.ConnectionId,
            connection.Profile.Name, connection.Online, changedAt, names, connection.Profile.IntegrationIds.Count);
        return new OutboxEntry
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"connection-{connection.ConnectionId}-{connection.Notices}"),
            Payload = notice,
            Subject = EmailTemplates.ConnectionChanged(notice).Subject,
            CreatedAt = Now,
        };
    }

    /// <summary>Ends the holds that are due: one notice each whose final state differs from the last one told.</summary>
    private Task EndHoldsAsync() => _connectionChanges.RunAsync(async () =>
    {
        var now = Now;
        foreach (var id in _connections.Values.Where(c => c.HoldUntil <= now).Select(c => c.ConnectionId).ToList())
        {
            var connection = _connections[id];
            var (next, notify) = ConnectionPolicy.HoldEnded(connection, now, connectionOptions.Value.HoldPeriod);
            if (next != connection) await ChangeConnectionAsync(next, notify);
        }
        await SyncHoldsReminderAsync();
    });

    /// <summary>Keeps the holds reminder due when the earliest hold ends; removes it when nothing is held.</summary>
    private Task SyncHoldsReminderAsync() => _reminderChanges.RunAsync(async () =>
    {
        var earliest = _connections.Values.Where(c => c.HoldUntil is not null).Min(c => c.HoldUntil);
        if (earliest is { } until)
        {
            var due = until - Now;
            await this.RegisterOrUpdateReminder(HoldsReminder, due > TimeSpan.Zero ? due : TimeSpan.Zero, connectionOptions.Value.HoldPeriod);
            return;
        }
        var existing = await this.GetReminder(HoldsReminder);
        if (existing is not null) await this.UnregisterReminder(existing);
    });
}
