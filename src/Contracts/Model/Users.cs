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
    [property: Id(3)] IReadOnlyList<string> NotificationEvents)
{
    public bool IsSubscribedTo(string eventName) => NotificationEvents.Contains(eventName, StringComparer.Ordinal);
}

[GenerateSerializer, Immutable, Alias("alerts.user-view")]
public sealed record UserView(
    [property: Id(0)] string UserId,
    [property: Id(1)] UserProfile Profile);
