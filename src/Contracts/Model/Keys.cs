namespace Alerts.Contracts;

/// <summary>
/// What an organization key may do (issue 11, SPEC §1): <c>admin</c> reads and changes its organization, <c>monitor</c>
/// only reads, <c>ingest</c> only reports (events, platform events, connection status). The operator key (configuration)
/// does everything, for every organization.
/// </summary>
[GenerateSerializer, Alias("alerts.key-role")]
public enum KeyRole
{
    Admin = 0,
    Monitor = 1,
    Ingest = 2,
}

public static class KeyRoles
{
    public static string Wire(this KeyRole role) => role switch
    {
        KeyRole.Admin => "admin",
        KeyRole.Monitor => "monitor",
        KeyRole.Ingest => "ingest",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? wire, out KeyRole role) => WireNames.TryParse(wire, Wire, out role);

    /// <summary>Organization keys read <c>alk_{id}_{secret}</c>: the id finds the key, the secret proves it.</summary>
    public const string Prefix = "alk_";

    /// <summary>The key id of a presented organization key, or null when it does not have the shape of one.</summary>
    public static string? IdOf(string presented)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var end = presented.IndexOf('_', Prefix.Length);
        if (end <= Prefix.Length || end > Prefix.Length + 40 || end == presented.Length - 1) return null;
        var id = presented[Prefix.Length..end];
        return GrainKeys.IsValidId(id) ? id : null;
    }
}

/// <summary>A key as listed: never its secret.</summary>
[GenerateSerializer, Immutable, Alias("alerts.key-view")]
public sealed record KeyView(
    [property: Id(0)] string Id,
    [property: Id(1)] KeyRole Role,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] string? Name = null,
    [property: Id(4)] string? UserId = null);

/// <summary>A key just created: the only time its value is shown.</summary>
[GenerateSerializer, Immutable, Alias("alerts.key-created")]
public sealed record CreatedKey(
    [property: Id(0)] KeyView Key,
    [property: Id(1)] string Value);

/// <summary>
/// What the gateway needs to accept a key: whose it is, its role, the SHA-256 of its value, and the user it belongs to
/// (admin and monitor keys may be tied to one; such a key reads only that user's inbox and resolves errors as that user).
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.key-grant")]
public sealed record KeyGrant(
    [property: Id(0)] string OrgId,
    [property: Id(1)] KeyRole Role,
    [property: Id(2)] byte[] Digest,
    [property: Id(3)] string? UserId = null);
