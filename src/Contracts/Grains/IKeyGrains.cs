namespace Alerts.Contracts;

/// <summary>An organization's keys (key: the org id): created, listed, revoked. Stored hashed; at most 100.</summary>
public interface IOrganizationKeysGrain : IGrainWithStringKey
{
    /// <summary>
    /// A new key with its value (shown once), tied to <paramref name="userId"/> when given (admin and monitor keys only; the
    /// user must exist). Null when the organization does not exist.
    /// </summary>
    Task<CreatedKey?> CreateAsync(KeyRole role, string? name, string? userId = null);

    [ReadOnly]
    Task<IReadOnlyList<KeyView>> ListAsync();

    /// <summary>False when the organization has no such key. A revoked key stops working at once on this gateway, within seconds on others.</summary>
    Task<bool> RevokeAsync(string keyId);
}

/// <summary>One key (key: its id), as the gateway checks it.</summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Null when there is no such key or it was revoked.</summary>
    [ReadOnly]
    Task<KeyGrant?> GetAsync();
}
