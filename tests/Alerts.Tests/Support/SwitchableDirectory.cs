using System.Collections.Concurrent;
using Alerts.Contracts;
using Alerts.Grains.Stores;
using Alerts.Storage.Memory;

namespace Alerts.Tests.Support;

/// <summary>The memory directory, whose reads of an organization's users can be made to fail like unreachable storage.</summary>
public sealed class SwitchableDirectory : IOrganizationDirectory
{
    private readonly MemoryDirectory _inner = new();

    /// <summary>Organizations whose users cannot be read now.</summary>
    public ConcurrentDictionary<string, bool> UsersUnreadable { get; } = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, int> _failedReads = new(StringComparer.Ordinal);

    /// <summary>How many reads of the organization's users failed.</summary>
    public int FailedReads(string orgId) => _failedReads.GetValueOrDefault(orgId);

    public Task<IReadOnlyList<UserView>> ListUsersAsync(string orgId, CancellationToken cancellationToken = default)
    {
        if (!UsersUnreadable.ContainsKey(orgId)) return _inner.ListUsersAsync(orgId, cancellationToken);
        _failedReads.AddOrUpdate(orgId, 1, (_, count) => count + 1);
        return Task.FromException<IReadOnlyList<UserView>>(new IOException("the directory is unreachable (test)"));
    }

    public Task PutUserAsync(string orgId, string userId, UserProfile profile, CancellationToken cancellationToken = default) =>
        _inner.PutUserAsync(orgId, userId, profile, cancellationToken);

    public Task<bool> DeleteUserAsync(string orgId, string userId, CancellationToken cancellationToken = default) =>
        _inner.DeleteUserAsync(orgId, userId, cancellationToken);

    public Task<IReadOnlyList<IntegrationSummary>> ListIntegrationsAsync(string orgId, CancellationToken cancellationToken = default) =>
        _inner.ListIntegrationsAsync(orgId, cancellationToken);

    public Task PutIntegrationAsync(string orgId, string integrationId, IntegrationProfile profile, CancellationToken cancellationToken = default) =>
        _inner.PutIntegrationAsync(orgId, integrationId, profile, cancellationToken);

    public Task<IReadOnlyList<ConnectionView>> ListConnectionsAsync(string orgId, CancellationToken cancellationToken = default) =>
        _inner.ListConnectionsAsync(orgId, cancellationToken);

    public Task PutConnectionAsync(string orgId, ConnectionView connection, CancellationToken cancellationToken = default) =>
        _inner.PutConnectionAsync(orgId, connection, cancellationToken);
}
