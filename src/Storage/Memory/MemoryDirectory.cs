using System.Collections.Concurrent;
using Alerts.Contracts;
using Alerts.Grains.Stores;

namespace Alerts.Storage.Memory;

/// <summary>The directory in process memory, for the unit tests and the memory benchmark.</summary>
public sealed class MemoryDirectory : IOrganizationDirectory
{
    private readonly ConcurrentDictionary<(string Org, string User), UserProfile> _users = new();
    private readonly ConcurrentDictionary<(string Org, string Integration), IntegrationProfile> _integrations = new();

    public Task<IReadOnlyList<UserView>> ListUsersAsync(string orgId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<UserView>>(_users.Where(pair => pair.Key.Org == orgId).Select(pair => new UserView(pair.Key.User, pair.Value)).ToList());

    public Task PutUserAsync(string orgId, string userId, UserProfile profile, CancellationToken cancellationToken = default)
    {
        _users[(orgId, userId)] = profile;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteUserAsync(string orgId, string userId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_users.TryRemove((orgId, userId), out _));

    public Task<IReadOnlyList<IntegrationSummary>> ListIntegrationsAsync(string orgId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<IntegrationSummary>>(_integrations.Where(pair => pair.Key.Org == orgId)
            .Select(pair => new IntegrationSummary(pair.Key.Integration, pair.Value)).ToList());

    public Task PutIntegrationAsync(string orgId, string integrationId, IntegrationProfile profile, CancellationToken cancellationToken = default)
    {
        _integrations[(orgId, integrationId)] = profile;
        return Task.CompletedTask;
    }

    private readonly ConcurrentDictionary<(string Org, string Connection), ConnectionView> _connections = new();

    public Task<IReadOnlyList<ConnectionView>> ListConnectionsAsync(string orgId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ConnectionView>>(_connections.Where(pair => pair.Key.Org == orgId).Select(pair => pair.Value).ToList());

    public Task PutConnectionAsync(string orgId, ConnectionView connection, CancellationToken cancellationToken = default)
    {
        _connections[(orgId, connection.ConnectionId)] = connection;
        return Task.CompletedTask;
    }
}
