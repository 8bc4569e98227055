using System.Security.Cryptography;
using System.Text;
using Alerts.Contracts;

namespace Alerts.Grains.Keys;

/// <summary>How an organization's key ring sets and revokes one key (not part of the public contract).</summary>
public interface IApiKeyAdmin : IGrainWithStringKey
{
    Task SetAsync(KeyGrant grant);

    Task RevokeAsync();
}

[GenerateSerializer, Alias("alerts.api-key-state")]
public sealed class ApiKeyState
{
    [Id(0)] public KeyGrant? Grant { get; set; }
}

/// <summary>One organization key (key: its id): its organization, role and the SHA-256 of its value; cleared when revoked.</summary>
public sealed class ApiKeyGrain([PersistentState("key", StorageNames.Grains)] IPersistentState<ApiKeyState> state)
    : Grain, IApiKeyGrain, IApiKeyAdmin
{
    public Task<KeyGrant?> GetAsync()
    {
        // A key that does not exist (a made-up one, or revoked) keeps no activation: asking for it costs one storage read,
        // not memory until the idle collector comes (gateways remember the answer themselves).
        if (state.State.Grant is null) DeactivateOnIdle();
        return Task.FromResult(state.State.Grant);
    }

    public async Task SetAsync(KeyGrant grant)
    {
        state.State.Grant = grant;
        await state.WriteStateAsync();
    }

    public async Task RevokeAsync()
    {
        state.State.Grant = null;
        await state.ClearStateAsync();
    }
}

[GenerateSerializer, Alias("alerts.key-ring-state")]
public sealed class KeyRingState
{
    public const int Limit = 100;

    [Id(0)] public List<KeyView> Keys { get; set; } = [];
}

/// <summary>
/// An organization's keys (key: the org id). A key's value is <c>alk_{id}_{secret}</c> with 32 random bytes of secret; only
/// its SHA-256 is stored, in the key's own grain, which the gateway asks (and caches for a few seconds). The ring lists
/// ids and roles, at most <see cref="KeyRingState.Limit"/>.
/// </summary>
public sealed class OrganizationKeysGrain(
    [PersistentState("keys", StorageNames.Grains)] IPersistentState<KeyRingState> state,
    [Microsoft.Extensions.DependencyInjection.FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<QuotaOptions> quotas)
    : Grain, IOrganizationKeysGrain
{
    private string OrgId => this.GetPrimaryKeyString();

    public async Task<CreatedKey?> CreateAsync(KeyRole role, string? name, string? userId = null)
    {
        if (!Enum.IsDefined(role)) throw ProfileRules.Invalid("role", "must be admin, monitor or ingest");
        if (name is { Length: > 100 }) throw ProfileRules.Invalid("name", "must be at most 100 characters");
        if (userId is not null && role == KeyRole.Ingest) throw ProfileRules.Invalid("user_id", "can be given to admin and monitor keys only (an ingest key reports for services, not for a person)");
        if (userId is not null && !GrainKeys.IsValidId(userId)) throw ProfileRules.Invalid("user_id", "is not a valid id");
        var organization = GrainFactory.GetOrganization(OrgId);
        if (await organization.GetAsync() is null) return null;
        if (userId is not null && await organization.GetUserAsync(userId) is null)
            throw ProfileRules.Invalid("user_id", $"'{userId}' is not a user of organization '{OrgId}'");
        var limit = Math.Min(quotas.Value.Keys, KeyRingState.Limit);
        if (state.State.Keys.Count >= limit) throw QuotaOptions.Reached("keys", limit, "keys");
        var id = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var value = KeyRoles.Prefix + id + "_" + NotificationCursor.Base64Url(RandomNumberGenerator.GetBytes(32));
        var view = new KeyView(id, role, clock.GetUtcNow(), name, userId);
        // The key works once its grant is stored; it is listed (and so revocable) in the same call.
        await GrainFactory.GetGrain<IApiKeyAdmin>(id).SetAsync(new KeyGrant(OrgId, role, Digest(value), userId));
        state.State.Keys.Add(view);
        await state.WriteStateAsync();
        return new CreatedKey(view, value);
    }

    public Task<IReadOnlyList<KeyView>> ListAsync() => Task.FromResult<IReadOnlyList<KeyView>>(state.State.Keys.ToList());

    public async Task<bool> RevokeAsync(string keyId)
    {
        var key = state.State.Keys.FirstOrDefault(k => k.Id == keyId);
        if (key is null) return false;
        await GrainFactory.GetGrain<IApiKeyAdmin>(keyId).RevokeAsync();
        state.State.Keys.Remove(key);
        await state.WriteStateAsync();
        return true;
    }

    public static byte[] Digest(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
