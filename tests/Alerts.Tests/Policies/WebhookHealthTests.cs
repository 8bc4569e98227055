using Alerts.Contracts;
using Alerts.Grains.Webhooks.Delivery;

namespace Alerts.Tests.Policies;

/// <summary>Issue 22, item 4: a subscription's health over 24 hours from its delivery log.</summary>
public sealed class WebhookHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static DeliveryAttempt Attempt(double hoursAgo, DeliveryOutcome outcome, int ms) =>
        new($"msg_{hoursAgo}", "run_failed", 1, Now.AddHours(-hoursAgo), outcome, outcome == DeliveryOutcome.Delivered ? 200 : 500, ms, null, null, null);

    [Fact]
    public void Attempts_of_the_last_day_give_the_rate_and_latency_percentiles_and_the_last_delivery_is_kept_even_if_older()
    {
        // Newest first: 100 attempts in the window (ms 1..100; every fourth failed), a dropped message, older ones.
        var log = Enumerable.Range(1, 100).Select(i => Attempt(i / 10.0, i % 4 == 0 ? DeliveryOutcome.Failed : DeliveryOutcome.Delivered, 101 - i))
            .Append(Attempt(12, DeliveryOutcome.Dropped, 0))
            .Append(Attempt(30, DeliveryOutcome.Delivered, 5000))
            .ToList();
        var health = WebhookHealth.Of(log, Now, complete: true);
        Assert.Equal((24, 100, 75, 0.75), (health.WindowHours, health.Attempts, health.Delivered, health.SuccessRate!.Value));
        Assert.Equal((50, 99), (health.P50Ms!.Value, health.P99Ms!.Value));
        Assert.Equal(Now.AddHours(-0.1), health.LastSuccessAt);
        Assert.False(health.Partial);
    }

    [Fact]
    public void A_receiver_down_all_day_shows_no_success_today_and_when_it_last_delivered()
    {
        var log = new[] { Attempt(1, DeliveryOutcome.Failed, 30), Attempt(2, DeliveryOutcome.Failed, 40), Attempt(26, DeliveryOutcome.Delivered, 20) };
        var health = WebhookHealth.Of(log, Now, complete: false);
        Assert.Equal((2, 0, 0.0), (health.Attempts, health.Delivered, health.SuccessRate!.Value));
        Assert.Equal(Now.AddHours(-26), health.LastSuccessAt);
        Assert.True(health.Partial);

        var quiet = WebhookHealth.Of([], Now, complete: true);
        Assert.Equal((0, (double?)null, (int?)null, (DateTimeOffset?)null), (quiet.Attempts, quiet.SuccessRate, quiet.P50Ms, quiet.LastSuccessAt));
    }
}
