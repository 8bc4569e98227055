using Alerts.Contracts;

namespace Alerts.Grains.Stores;

/// <summary>
/// An organization's users, integration catalog and connections, one row each, so a tenant with thousands of them never puts
/// them in one grain state. The organization grain is the only writer; it keeps a copy in memory while active.
/// </summary>
public interface IOrganizationDirectory
{
    Task<IReadOnlyList<UserView>> ListUsersAsync(string orgId, CancellationToken cancellationToken = default);

    Task PutUserAsync(string orgId, string userId, UserProfile profile, CancellationToken cancellationToken = default);

    /// <summary>False when there was no such user.</summary>
    Task<bool> DeleteUserAsync(string orgId, string userId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IntegrationSummary>> ListIntegrationsAsync(string orgId, CancellationToken cancellationToken = default);

    Task PutIntegrationAsync(string orgId, string integrationId, IntegrationProfile profile, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ConnectionView>> ListConnectionsAsync(string orgId, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a connection's row: its profile and state.</summary>
    Task PutConnectionAsync(string orgId, ConnectionView connection, CancellationToken cancellationToken = default);
}
