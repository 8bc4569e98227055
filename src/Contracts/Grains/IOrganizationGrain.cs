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
    /// <summary>A page of the organization's users, by id.</summary>
    [ReadOnly]
    Task<ListPage<UserView>> ListUsersAsync(ListQuery query);

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
    /// <summary>Notifications sent, pending or called off, newest first, a page at a time.</summary>
    [ReadOnly]
    Task<NotificationPage> ListNotificationsAsync(NotificationQuery query);

    /// <summary>One notification with every recipient's result; null when there is no such notification.</summary>
    [ReadOnly]
    Task<NotificationDetail?> GetNotificationAsync(string notificationId);

    /// <summary>
    /// The threshold decision logs, newest first (issue 22): what each evaluation came to and, for the user named in the
    /// query, whether they were notified and why (not). Null when the organization does not exist.
    /// </summary>
    Task<IReadOnlyList<DecisionView>?> DecisionsAsync(DecisionQuery query);

    /// <summary>
    /// Sends the user a test notification through the real pipeline, marked as a test (issue 22). Returns its id in the
    /// notification log, or null when there is no such organization or user.
    /// </summary>
    Task<string?> SendTestNotificationAsync(string userId);
}

/// <summary>Where reports enter: one call for any number of batches of any of the organization's integrations.</summary>
public interface IOrganizationReports : IGrainWithStringKey
{
    /// <summary>
    /// Records each batch all or nothing (an invalid attempt or an unregistered integration refuses that batch, not
    /// the others) and returns one result per batch, in order. A batch whose result is <see cref="RecordStatus.Recorded"/>
    /// is durable when this returns: every accepted attempt will be counted, even if a silo dies at once. An attempt
    /// whose event id was recorded for the same integration within the de-duplication window counts as a duplicate.
    /// <see cref="ReportCoalescer"/> merges concurrent callers into such calls.
    /// </summary>
    Task<IReadOnlyList<RecordResult>> ReportAsync(IReadOnlyList<IReadOnlyList<Report>> batches);
}

/// <summary>SPEC §3: the organization's errors as their lifecycle tracks them.</summary>
public interface IOrganizationErrors : IGrainWithStringKey
{
    /// <summary>Errors of the organization (or of one integration, or one flow), newest activity first, a page at a time.</summary>
    [ReadOnly]
    Task<ErrorPage> ListErrorsAsync(ErrorQuery query);

    /// <summary>Resolves an error by hand, recording who (an admin of the organization) and when.</summary>
    Task<ResolveResult> ResolveErrorAsync(string errorId, string userId);
}

/// <summary>SPEC §4: connections, their state, and the notices their followers get when it changes.</summary>
public interface IOrganizationConnections : IGrainWithStringKey
{
    /// <summary>Creates or replaces a connection (a new one is online). Null when the organization does not exist.</summary>
    Task<ConnectionView?> PutConnectionAsync(string connectionId, ConnectionProfile profile);

    [ReadOnly]
    Task<ConnectionView?> GetConnectionAsync(string connectionId);

    /// <summary>A page of the organization's connections, by id.</summary>
    [ReadOnly]
    Task<ListPage<ConnectionView>> ListConnectionsAsync(ListQuery query);

    /// <summary>
    /// Records that the connection went offline or came back. The first change is told to its followers at once;
    /// changes within the hold period after a notice end in one notice with the final state, if it differs from the
    /// last one told. Null when there is no such connection.
    /// </summary>
    Task<ConnectionView?> SetConnectionStatusAsync(string connectionId, bool online);
}

public interface IOrganizationGrain : IOrganizationSettings, IOrganizationMembers, IOrganizationNotifications, IOrganizationReports,
    IOrganizationErrors, IOrganizationConnections
{
    /// <summary>A page of the organization's integrations, by id.</summary>
    [ReadOnly]
    Task<ListPage<IntegrationSummary>> ListIntegrationsAsync(ListQuery query);

    /// <summary>
    /// The addresses of the users subscribed to <paramref name="audience"/> (a platform event type, …), each once: what
    /// publishing needs, without every user crossing the wire.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> SubscribedEmailsAsync(string audience);

    /// <summary>The organization's admins (the people told about a failing webhook without an owner).</summary>
    [ReadOnly]
    Task<IReadOnlyList<UserView>> ListAdminsAsync();
}

[GenerateSerializer, Immutable, Alias("alerts.integration-summary")]
public sealed record IntegrationSummary(
    [property: Id(0)] string IntegrationId,
    [property: Id(1)] IntegrationProfile Profile);
