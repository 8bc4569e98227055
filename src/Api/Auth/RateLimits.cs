using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Alerts.Api.Auth;

/// <summary>
/// Configuration section <c>Alerts:RateLimits</c>: token buckets (a burst, refilled per second) for failed
/// authentications per client address and for requests per organization key. Defaults are generous: they stop a
/// guessing loop and a runaway client, not a busy tenant. The operator key (the platform's own services) is not limited.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Alerts:RateLimits";

    /// <summary>Failed authentications (a bearer value that is no key) one client address may cause: 100, then 1 a second.</summary>
    public TokenBucket FailedAuthPerAddress { get; set; } = new() { Burst = 100, PerSecond = 1 };

    /// <summary>Requests one organization key may make: 20,000, then 5,000 a second.</summary>
    public TokenBucket RequestsPerKey { get; set; } = new() { Burst = 20_000, PerSecond = 5_000 };
}

public sealed class TokenBucket
{
    public int Burst { get; set; }
    public int PerSecond { get; set; }

    public bool IsValid => Burst is >= 1 and <= 1_000_000 && PerSecond is >= 1 and <= 1_000_000;

    public TokenBucketRateLimiterOptions Limiter() => new()
    {
        TokenLimit = Burst,
        TokensPerPeriod = PerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>
/// Failed authentications per client address (<see cref="RateLimitOptions.FailedAuthPerAddress"/>). An address that has
/// used its budget gets 429 with <c>Retry-After</c> for any key the gateway would have to look up, so guessing keys
/// costs the cluster nothing more; a key already cached keeps working. Idle addresses are forgotten by the limiter.
/// </summary>
public sealed class FailedAuthentications : IDisposable
{
    public const string LimitedItem = "alerts.auth-limited";

    private readonly PartitionedRateLimiter<string> _limiter;

    public FailedAuthentications(IOptions<RateLimitOptions> options)
    {
        var bucket = options.Value.FailedAuthPerAddress;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => bucket.Limiter()));
    }

    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "";

    /// <summary>Null when the address may still fail; otherwise how long until it may.</summary>
    public TimeSpan? Exhausted(string address)
    {
        using var lease = _limiter.AttemptAcquire(address, 0);
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    /// <summary>Counts one failure; null when it was within the budget, otherwise how long until the address may fail again.</summary>
    public TimeSpan? Count(string address)
    {
        using var lease = _limiter.AttemptAcquire(address, 1);
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) => TooManyRequests.RetryAfter(lease);

    public void Dispose() => _limiter.Dispose();
}

/// <summary>The 429 answer every limit gives: <c>Retry-After</c> and a problem saying which limit.</summary>
public static class TooManyRequests
{
    /// <summary>How long a refused lease says to wait (at least a second when it does not say).</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(1);

    /// <summary>Writes the 429 with <c>Retry-After</c> (whole seconds, at least 1).</summary>
    public static Task RefuseAsync(HttpContext context, TimeSpan retryAfter, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.", detail: detail).ExecuteAsync(context);
    }
}

/// <summary>Requests per organization key (<see cref="RateLimitOptions.RequestsPerKey"/>) through ASP.NET Core's rate limiter.</summary>
public static class KeyRateLimits
{
    public static IServiceCollection AddKeyRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(limits => limits.FailedAuthPerAddress.IsValid && limits.RequestsPerKey.IsValid,
                $"{RateLimitOptions.Section}: each Burst and PerSecond must be 1 to 1,000,000")
            .ValidateOnStart();
        services.AddSingleton<FailedAuthentications>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var bucket = limits.Value.RequestsPerKey;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.FindFirst(AccessClaims.Role)?.Value is { } role && role != AccessClaims.Operator
                && context.User.FindFirst(ClaimTypes.Name)?.Value is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => bucket.Limiter())
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (rejected, _) => new ValueTask(TooManyRequests.RefuseAsync(rejected.HttpContext, TooManyRequests.RetryAfter(rejected.Lease),
                $"This key may make {bucket.Burst} requests at once and {bucket.PerSecond} a second after that."));
        });
        return services;
    }
}
