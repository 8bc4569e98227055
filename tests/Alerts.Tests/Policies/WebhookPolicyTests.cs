using System.Text;
using Alerts.Grains.Webhooks;
using Alerts.Grains.Stores;

namespace Alerts.Tests.Policies;

/// <summary>SPEC §6: signing, the retry schedule and the consecutive-failure breaker of webhook deliveries.</summary>
public sealed class WebhookPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("https://hooks.example.com/in?token=s3cr3t", "https://hooks.example.com/in?…")]
    [InlineData("https://hooks.example.com:8443/a/b?x=1&y=2#frag", "https://hooks.example.com:8443/a/b?…")]
    [InlineData("https://hooks.example.com/plain", "https://hooks.example.com/plain")]
    [InlineData("http://127.0.0.1:5000/?", "http://127.0.0.1:5000/")]
    [InlineData("not a url", "")]
    public void A_masked_url_keeps_scheme_host_port_and_path_and_hides_the_query(string url, string shown) =>
        Assert.Equal(shown, Alerts.Contracts.WebhookRules.Masked(url));

    [Fact]
    public void The_signature_matches_the_standard_webhooks_published_vector()
    {
        var signature = WebhookSignature.Sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("""{"test": 2432232314}"""));
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Each_attempt_is_signed_afresh_and_the_body_is_covered()
    {
        var secret = WebhookSignature.NewSecret();
        var body = Encoding.UTF8.GetBytes("""{"event_type":"run_failed"}""");
        var first = WebhookSignature.Sign(secret, "msg_1", 1_700_000_000, body);
        Assert.NotEqual(first, WebhookSignature.Sign(secret, "msg_1", 1_700_000_060, body));
        Assert.NotEqual(first, WebhookSignature.Sign(secret, "msg_1", 1_700_000_000, Encoding.UTF8.GetBytes("""{"event_type":"run_failed" }""")));
        Assert.NotEqual(first, WebhookSignature.Sign(WebhookSignature.NewSecret(), "msg_1", 1_700_000_000, body));
    }

    [Fact]
    public void New_secrets_are_whsec_and_32_random_bytes()
    {
        var secret = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, WebhookSignature.Key(secret)!.Length);
        Assert.NotEqual(secret, WebhookSignature.NewSecret());
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_AAAA")]
    public void Malformed_secrets_are_refused(string secret) => Assert.Null(WebhookSignature.Key(secret));

    [Fact]
    public void Back_off_doubles_with_jitter_and_is_capped_at_a_day()
    {
        var previous = TimeSpan.Zero;
        for (var failures = 1; failures <= 12; failures++)
        {
            var low = WebhookRetrySchedule.Next(failures, T0, T0, null, 0)!.Value - T0;
            var high = WebhookRetrySchedule.Next(failures, T0, T0, null, 0.999)!.Value - T0;
            var nominal = Math.Min(30 * Math.Pow(2, failures - 1), 86_400);
            Assert.InRange(low.TotalSeconds, nominal * 0.8 - 0.001, nominal);
            Assert.InRange(high.TotalSeconds, nominal, Math.Min(nominal * 1.2, 86_400) + 0.001);
            Assert.True(high <= WebhookRetrySchedule.MaxDelay);
            Assert.True(low >= previous * 1.3 || high >= WebhookRetrySchedule.MaxDelay * 0.99);
            previous = low;
        }
    }

    [Fact]
    public void Nothing_is_attempted_three_days_after_the_first_attempt()
    {
        Assert.NotNull(WebhookRetrySchedule.Next(5, T0, T0 + TimeSpan.FromDays(2), null, 0));
        Assert.Null(WebhookRetrySchedule.Next(12, T0, T0 + TimeSpan.FromDays(2.5), null, 0)); // the next would be past 3 days
        Assert.Null(WebhookRetrySchedule.Next(1, T0, T0 + TimeSpan.FromDays(3), null, 0));
    }

    [Fact]
    public void Retry_after_is_honoured_within_the_daily_cap()
    {
        Assert.Equal(T0 + TimeSpan.FromMinutes(10), WebhookRetrySchedule.Next(1, T0, T0, TimeSpan.FromMinutes(10), 0.5));
        Assert.Equal(T0 + TimeSpan.FromHours(24), WebhookRetrySchedule.Next(1, T0, T0, TimeSpan.FromDays(5), 0.5));
        // A shorter Retry-After than the back-off does not bring the attempt forward.
        Assert.Equal(T0 + TimeSpan.FromSeconds(30 * 16), WebhookRetrySchedule.Next(5, T0, T0, TimeSpan.FromSeconds(1), 0.5));
        Assert.Equal(TimeSpan.FromSeconds(120), WebhookRetrySchedule.RetryAfter("120", T0));
        Assert.Equal(TimeSpan.FromMinutes(5), WebhookRetrySchedule.RetryAfter(T0.AddMinutes(5).ToString("R"), T0));
        Assert.Null(WebhookRetrySchedule.RetryAfter("soon", T0));
        Assert.Null(WebhookRetrySchedule.RetryAfter(null, T0));
    }

    private static (BreakerState State, List<BreakerNotice> Notices) Run(BreakerState state, string outcomes)
    {
        var notices = new List<BreakerNotice>();
        foreach (var outcome in outcomes)
        {
            (state, var notice) = WebhookBreaker.Attempted(state, outcome == 'S', outcome == 'F' ? "HTTP 500" : null, T0);
            if (notice != BreakerNotice.None) notices.Add(notice);
        }
        return (state, notices);
    }

    [Fact]
    public void Five_failures_and_a_success_leave_it_enabled_with_streak_zero()
    {
        var (state, notices) = Run(BreakerState.Fresh, "FFFFFS");
        Assert.Equal((true, 0), (state.Enabled, state.ConsecutiveFailures));
        Assert.Equal([BreakerNotice.Warning], notices);
    }

    [Fact]
    public void Six_failures_in_a_row_disable_it_with_the_reason_and_warn_once_before()
    {
        var (state, notices) = Run(BreakerState.Fresh, "FFFFFF");
        Assert.False(state.Enabled);
        Assert.Equal(("HTTP 500", (DateTimeOffset?)T0), (state.DisabledReason, state.DisabledAt));
        Assert.Equal([BreakerNotice.Warning, BreakerNotice.Disabled], notices);
        // Retries already scheduled run out their schedule: further failures tell nothing more.
        var (after, more) = Run(state, "FF");
        Assert.Empty(more);
        Assert.False(after.Enabled);
    }

    [Fact]
    public void A_new_streak_warns_again_and_an_interrupted_one_does_not_count()
    {
        var (_, notices) = Run(BreakerState.Fresh, "FFFSFFSFFF");
        Assert.Equal([BreakerNotice.Warning, BreakerNotice.Warning], notices);
    }

    [Fact]
    public void Enabled_again_it_starts_a_fresh_streak_and_its_first_success_is_told()
    {
        var (disabled, _) = Run(BreakerState.Fresh, "FFFFFF");
        var enabled = WebhookBreaker.Enable(disabled);
        Assert.Equal((true, 0, (string?)null), (enabled.Enabled, enabled.ConsecutiveFailures, enabled.DisabledReason));
        var (state, notices) = Run(enabled, "FSS");
        Assert.Equal([BreakerNotice.Recovered], notices);
        Assert.False(state.ReEnabled);
        // A new URL on a healthy subscription resets the streak without announcing a recovery.
        var (_, quiet) = Run(WebhookBreaker.Enable(Run(BreakerState.Fresh, "FF").State), "S");
        Assert.Empty(quiet);
    }
}
