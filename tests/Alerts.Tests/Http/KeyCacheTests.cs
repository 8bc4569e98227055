using Alerts.Api.Auth;
using Alerts.Contracts;
using Microsoft.Extensions.Options;

namespace Alerts.Tests.Http;

/// <summary>
/// Issue 21, item 2: a made-up organization key costs the cluster one lookup, not one per request, and a flood of them
/// neither grows the gateway's memory past its bound nor pushes the real keys out.
/// </summary>
public sealed class KeyCacheTests
{
    private sealed class Cluster
    {
        public readonly Dictionary<string, KeyGrant> Keys = new(StringComparer.Ordinal);
        public int Lookups;

        public Task<KeyGrant?> LookupAsync(string keyId, CancellationToken _)
        {
            Interlocked.Increment(ref Lookups);
            return Task.FromResult(Keys.GetValueOrDefault(keyId));
        }
    }

    private static KeyGrant Grant(string org) => new(org, KeyRole.Ingest, new byte[32]);

    [Fact]
    public async Task An_unknown_key_is_looked_up_once_and_then_answered_from_the_cache()
    {
        var cluster = new Cluster();
        var cache = new KeyCache(cluster.LookupAsync);
        for (var i = 0; i < 50; i++) Assert.Null(await cache.GetAsync("kdeadbeefdeadbeef", default));
        Assert.Equal(1, cluster.Lookups);
        Assert.True(cache.IsKnownUnknown("kdeadbeefdeadbeef"));
    }

    [Fact]
    public async Task A_flood_of_made_up_keys_stays_within_the_bound_and_never_evicts_a_real_key()
    {
        var cluster = new Cluster();
        cluster.Keys["kreal"] = Grant("acme");
        var cache = new KeyCache(cluster.LookupAsync);
        Assert.NotNull(await cache.GetAsync("kreal", default));
        for (var i = 0; i < 3 * KeyCache.Capacity; i++) Assert.Null(await cache.GetAsync($"k{i:x16}", default));

        var (known, unknown) = cache.Count;
        Assert.InRange(unknown, 1, KeyCache.Capacity);
        Assert.Equal(1, known);
        var before = cluster.Lookups;
        Assert.NotNull(await cache.GetAsync("kreal", default));
        Assert.Equal(before, cluster.Lookups);
        // The most recent made-up keys are the ones remembered (least recently used go first).
        Assert.True(cache.IsKnownUnknown($"k{3 * KeyCache.Capacity - 1:x16}"));
        Assert.False(cache.IsKnownUnknown($"k{0:x16}"));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_without_a_lookup()
    {
        var cluster = new Cluster();
        cluster.Keys["kreal"] = Grant("acme");
        var cache = new KeyCache(cluster.LookupAsync);
        Assert.NotNull(await cache.GetAsync("kreal", default));
        cluster.Keys.Remove("kreal");
        cache.Forget("kreal");
        Assert.Null(await cache.GetAsync("kreal", default));
        Assert.Equal(1, cluster.Lookups);
    }

    [Fact]
    public void An_address_past_its_budget_of_failures_is_told_how_long_to_wait()
    {
        using var failures = new FailedAuthentications(Options.Create(new RateLimitOptions { FailedAuthPerAddress = new TokenBucket { Burst = 3, PerSecond = 1 } }));
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(failures.Exhausted("10.0.0.1"));
            Assert.Null(failures.Count("10.0.0.1"));
        }
        Assert.NotNull(failures.Exhausted("10.0.0.1"));
        Assert.InRange(failures.Count("10.0.0.1")!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        // Another address has its own budget.
        Assert.Null(failures.Count("10.0.0.2"));
    }
}
