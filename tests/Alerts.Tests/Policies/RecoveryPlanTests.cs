using Alerts.Contracts;
using Alerts.Grains.Webhooks.Delivery;

namespace Alerts.Tests.Policies;

/// <summary>Issue 22, item 4: which logged messages a webhook recovery sends again, and in what order.</summary>
public sealed class RecoveryPlanTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);

    private static DeliveryAttempt Attempt(string id, int minute, DeliveryOutcome outcome) =>
        new(id, "integration.run.failed", 1, T0.AddMinutes(minute), outcome, outcome == DeliveryOutcome.Delivered ? 200 : 500, 10, null, null, null);

    [Fact]
    public void Every_message_whose_last_attempt_since_then_did_not_deliver_it_goes_again_oldest_first_once()
    {
        // The log as it is read: newest first.
        var log = new[]
        {
            Attempt("msg_e", 50, DeliveryOutcome.Dropped),
            Attempt("msg_d", 40, DeliveryOutcome.Delivered),   // failed before, delivered at last: not again
            Attempt("msg_c", 30, DeliveryOutcome.Exhausted),
            Attempt("msg_b", 25, DeliveryOutcome.Failed),      // still waiting for its next retry: not twice
            Attempt("msg_a", 20, DeliveryOutcome.Failed),
            Attempt("msg_d", 15, DeliveryOutcome.Failed),
            Attempt("msg_c", 10, DeliveryOutcome.Failed),
            Attempt("msg_old", -5, DeliveryOutcome.Exhausted), // before `since`
        };
        var picked = RecoveryPlan.Select(log, T0, new HashSet<string> { "msg_b" });
        Assert.Equal(["msg_a", "msg_c", "msg_e"], picked.Select(p => p.MessageId));
        Assert.All(picked, p => Assert.Equal("integration.run.failed", p.EventType));
    }

    [Fact]
    public void Nothing_since_then_or_everything_delivered_recovers_nothing()
    {
        Assert.Empty(RecoveryPlan.Select([], T0, new HashSet<string>()));
        Assert.Empty(RecoveryPlan.Select([Attempt("msg_a", 5, DeliveryOutcome.Delivered), Attempt("msg_a", 1, DeliveryOutcome.Failed)], T0, new HashSet<string>()));
        Assert.Empty(RecoveryPlan.Select([Attempt("msg_a", -1, DeliveryOutcome.Exhausted)], T0, new HashSet<string>()));
    }
}
