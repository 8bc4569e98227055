namespace Alerts.Contracts;

/// <summary>The organization's settings and people. Key: the org id (see <see cref="GrainKeys"/>).</summary>
public interface IOrganizationSettings : IGrainWithStringKey
{
    /// <summary>Null when the organization was never created.</summary>
    [ReadOnly]
    Task<OrganizationView?> GetAsync();

    /// <summary>Creates or replaces the organization's profile and settings; counts and cooldowns are kept.</summary>
    Task<OrganizationView> PutAsync(OrganizationProfile profile);
}

public interface IOrganizationMembers : IGrainWithStringKey
{
    [ReadOnly]
    Task<IReadOnlyList<UserView>> ListUsersAsync();

    /// <summary>Null when the user or the organization does not exist.</summary>
    [ReadOnly]
    Task<UserView?> GetUserAsync(string userId);

    /// <summary>Creates or replaces a user. Null when the organization does not exist.</summary>
    Task<UserView?> PutUserAsync(string userId, UserProfile profile);

    /// <summary>False when there was no such user.</summary>
    Task<bool> DeleteUserAsync(string userId);
}

public interface IOrganizationNotifications : IGrainWithStringKey
{
    /// <summary>Notifications sent or pending, newest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<NotificationView>> ListNotificationsAsync(int limit);
}

public interface IOrganizationGrain : IOrganizationSettings, IOrganizationMembers, IOrganizationNotifications
{
    /// <summary>The ids among <paramref name="integrationIds"/> that are not registered in this organization.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> FindUnknownIntegrationsAsync(IReadOnlyCollection<string> integrationIds);

    [ReadOnly]
    Task<IReadOnlyList<IntegrationSummary>> ListIntegrationsAsync();
}

[GenerateSerializer, Immutable, Alias("alerts.integration-summary")]
public sealed record IntegrationSummary(
    [property: Id(0)] string IntegrationId,
    [property: Id(1)] IntegrationProfile Profile);
