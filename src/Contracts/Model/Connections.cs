namespace Alerts.Contracts;

/// <summary>SPEC §4: credentials or an endpoint shared by integrations of the organization.</summary>
[GenerateSerializer, Immutable, Alias("alerts.connection-profile")]
public sealed record ConnectionProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<string> IntegrationIds)
{
    public const int MaxIntegrations = 500;
}

/// <summary>
/// A connection and its state. <see cref="NotifiedOnline"/> is the state its subscribers were last told; while
/// <see cref="HoldUntil"/> is ahead, changes are held and end in one notice with the final state (SPEC §4).
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.connection-view")]
public sealed record ConnectionView(
    [property: Id(0)] string ConnectionId,
    [property: Id(1)] ConnectionProfile Profile,
    [property: Id(2)] bool Online,
    [property: Id(3)] DateTimeOffset? ChangedAt,
    [property: Id(4)] bool NotifiedOnline,
    [property: Id(5)] DateTimeOffset? NotifiedAt,
    [property: Id(6)] DateTimeOffset? HoldUntil,
    [property: Id(7)] long Notices = 0);
