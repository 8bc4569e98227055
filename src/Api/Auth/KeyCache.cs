using BitFaster.Caching;
using BitFaster.Caching.Lru;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Auth;

/// <summary>
/// Organization keys as the cluster stores them, in two bounded LRU caches (BitFaster's <c>ConcurrentLru</c>):
/// <list type="bullet">
/// <item>keys that exist, for <see cref="Lifetime"/> (a revoked key stops at once on the gateway that revoked it, within
/// that long on others), at most <see cref="Capacity"/>;</item>
/// <item>ids that no key has, for <see cref="UnknownLifetime"/>, at most <see cref="Capacity"/>: a made-up key presented
/// again costs no grain call. Ids are random and made by the cluster, so an id unknown now is only ever known later by
/// a guess of 64 random bits; a flood of made-up ids evicts older made-up ids, never a real key.</item>
/// </list>
/// </summary>
public sealed class KeyCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan UnknownLifetime = TimeSpan.FromMinutes(10);
    public const int Capacity = 10_000;

    private readonly Func<string, CancellationToken, Task<KeyGrant?>> _lookup;
    private readonly ICache<string, KeyGrant> _known = new ConcurrentLruBuilder<string, KeyGrant>()
        .WithCapacity(Capacity).WithExpireAfterWrite(Lifetime).WithKeyComparer(StringComparer.Ordinal).Build();
    private readonly ICache<string, bool> _unknown = new ConcurrentLruBuilder<string, bool>()
        .WithCapacity(Capacity).WithExpireAfterWrite(UnknownLifetime).WithKeyComparer(StringComparer.Ordinal).Build();

    /// <param name="lookup">Asks the cluster for a key's grant (null when there is none).</param>
    public KeyCache(Func<string, CancellationToken, Task<KeyGrant?>> lookup) => _lookup = lookup;

    /// <summary>Asks the key's grain, within the request deadline (past it, the <see cref="TimeoutException"/> is a 503).</summary>
    public static KeyCache ForCluster(IGrainFactory grains, IOptions<RequestDeadlineOptions> deadline) =>
        new((keyId, cancellationToken) => grains.GetGrain<IApiKeyGrain>(keyId).GetAsync().WaitAsync(deadline.Value.Deadline, cancellationToken));

    /// <summary>How many entries each cache holds (both at most <see cref="Capacity"/>).</summary>
    public (int Known, int Unknown) Count => (_known.Count, _unknown.Count);

    /// <summary>Whether the id is in the cache of ids that no key has (so a lookup would be wasted).</summary>
    public bool IsKnownUnknown(string keyId) => _unknown.TryGet(keyId, out _);

    /// <summary>The key's grant from a cache, or null without asking anyone.</summary>
    public bool TryGetCached(string keyId, out KeyGrant? grant)
    {
        if (_known.TryGet(keyId, out var known))
        {
            grant = known;
            return true;
        }
        grant = null;
        return _unknown.TryGet(keyId, out _);
    }

    public async Task<KeyGrant?> GetAsync(string keyId, CancellationToken cancellationToken)
    {
        if (TryGetCached(keyId, out var cached)) return cached;
        var grant = await _lookup(keyId, cancellationToken);
        if (grant is null) _unknown.AddOrUpdate(keyId, true);
        else _known.AddOrUpdate(keyId, grant);
        return grant;
    }

    public void Forget(string keyId)
    {
        _known.TryRemove(keyId);
        _unknown.AddOrUpdate(keyId, true);
    }

    private (string Key, byte[] Digest)? _operator;

    /// <summary>The SHA-256 of the operator key, computed once per key value.</summary>
    public byte[] DigestOf(string operatorKey)
    {
        if (_operator is { } known && ReferenceEquals(known.Key, operatorKey)) return known.Digest;
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(operatorKey));
        _operator = (operatorKey, digest);
        return digest;
    }
}
