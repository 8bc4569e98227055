namespace Alerts.Contracts;

/// <summary>One direction's threshold settings (SPEC §2). Both values must be set for the direction to be active.</summary>
[GenerateSerializer, Immutable, Alias("alerts.direction-settings")]
public sealed record DirectionSettings(
    [property: Id(0)] int? FailureLimit,
    [property: Id(1)] FailureInterval? FailureInterval)
{
    public static readonly DirectionSettings Unset = new(null, null);

    /// <summary>Active when both are set and the limit is above zero (0 disables the direction).</summary>
    public bool IsActive => FailureLimit is > 0 && FailureInterval is not null;
}

/// <summary><c>settings.integration_notifications</c>: one block per direction.</summary>
[GenerateSerializer, Immutable, Alias("alerts.integration-notification-settings")]
public sealed record IntegrationNotificationSettings(
    [property: Id(0)] DirectionSettings OutgoingIntegrations,
    [property: Id(1)] DirectionSettings IncomingWebhooks)
{
    public static readonly IntegrationNotificationSettings Unset = new(DirectionSettings.Unset, DirectionSettings.Unset);

    public DirectionSettings For(Direction direction) =>
        direction == Direction.Outgoing ? OutgoingIntegrations : IncomingWebhooks;
}

/// <summary>
/// What an operator sets on an organization (the tenant of SPEC §1). <see cref="AccountId"/> is the platform's numeric
/// id of the account, which every platform event carries as <c>account_id</c> (SPEC §5).
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.organization-profile")]
public sealed record OrganizationProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] string Environment,
    [property: Id(2)] bool Production,
    [property: Id(3)] string? PrimaryContact,
    [property: Id(4)] IntegrationNotificationSettings IntegrationNotifications,
    [property: Id(5)] long? AccountId = null);

/// <summary>An organization as read back: its profile plus what Alerts keeps about it.</summary>
[GenerateSerializer, Immutable, Alias("alerts.organization-view")]
public sealed record OrganizationView(
    [property: Id(0)] string OrgId,
    [property: Id(1)] OrganizationProfile Profile,
    [property: Id(2)] DateTimeOffset? OutgoingLastFailureAt,
    [property: Id(3)] DateTimeOffset? IncomingLastFailureAt,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset UpdatedAt)
{
    public DateTimeOffset? LastFailureAt(Direction direction) =>
        direction == Direction.Outgoing ? OutgoingLastFailureAt : IncomingLastFailureAt;
}
