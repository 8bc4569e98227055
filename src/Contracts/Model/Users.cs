namespace Alerts.Contracts;

/// <summary>SPEC §1: admins may change settings; monitors only read (and still receive notifications).</summary>
[GenerateSerializer, Alias("alerts.user-role")]
public enum UserRole
{
    Admin = 0,
    Monitor = 1,
}

public static class UserRoles
{
    public static bool TryParse(string? wire, out UserRole role)
    {
        switch (wire)
        {
            case "admin": role = UserRole.Admin; return true;
            case "monitor": role = UserRole.Monitor; return true;
            default: role = default; return false;
        }
    }

    public static string Wire(this UserRole role) => role == UserRole.Admin ? "admin" : "monitor";
}

[GenerateSerializer, Immutable, Alias("alerts.user-profile")]
public sealed record UserProfile(
    [property: Id(0)] string Email,
    [property: Id(1)] string Name,
    [property: Id(2)] UserRole Role,
    [property: Id(3)] IReadOnlyList<string> NotificationEvents,
    [property: Id(4)] Subscriptions? Subscriptions = null,
    [property: Id(5)] IReadOnlyDictionary<string, DateTimeOffset>? SubscribedSince = null)
{
    /// <summary>The flows and connections followed (never null).</summary>
    public Subscriptions Follows => Subscriptions ?? Contracts.Subscriptions.None;

    /// <summary>
    /// A <c>notification_events</c> name, or an audience of its own: <see cref="DigestAudience"/> for anyone following
    /// flows, <c>connection:{id}</c> for a connection's followers.
    /// </summary>
    public bool IsSubscribedTo(string audience)
    {
        if (audience == DigestAudience) return Follows.FollowsErrors;
        if (audience.StartsWith(ConnectionAudiencePrefix, StringComparison.Ordinal))
            return Follows.Connections.Contains(audience[ConnectionAudiencePrefix.Length..], StringComparer.Ordinal);
        return NotificationEvents.Contains(audience, StringComparer.Ordinal);
    }

    public const string DigestAudience = "digest";
    public const string ConnectionAudiencePrefix = "connection:";

    public static string ConnectionAudience(string connectionId) => ConnectionAudiencePrefix + connectionId;

    /// <summary>
    /// When each scope (see <see cref="Subscriptions.ScopeKey"/>) was first followed, kept by the organization across
    /// updates: a digest tells a user about errors that were open before they followed them as new to them.
    /// </summary>
    public DateTimeOffset? Since(string scopeKey) => SubscribedSince is { } since && since.TryGetValue(scopeKey, out var at) ? at : null;
}

[GenerateSerializer, Immutable, Alias("alerts.user-view")]
public sealed record UserView(
    [property: Id(0)] string UserId,
    [property: Id(1)] UserProfile Profile);
