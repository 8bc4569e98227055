using Alerts.Contracts;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// "Why was I (not) alerted?" on the test cluster (issue 22): the organization logs what each threshold evaluation came
/// to and explains each entry for a user from their row in the notification log; a test notification goes through the
/// real pipeline to the one user.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class DecisionLogGrainTests(ClusterFixture fixture)
{
    private static readonly DirectionSettings ThreeInOneHour = new(3, FailureInterval.OneHour);

    [Fact]
    public async Task Below_the_limit_fired_and_cooling_down_are_logged_and_explained_per_user()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: ThreeInOneHour, incoming: new DirectionSettings(0, FailureInterval.OneHour));
        var opsEmail = await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.AddUserAsync("sales", NotificationEvents.IncomingWebhookError);

        async Task ErrorsAsync(string integration, int count)
        {
            ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(1));
            await org.ErrorsAsync(integration, count);
        }
        await ErrorsAsync(OrgScenario.Outgoing, 1);
        await ErrorsAsync(OrgScenario.Outgoing, 1);
        await ErrorsAsync(OrgScenario.Outgoing, 1); // the third: fires
        await ErrorsAsync(OrgScenario.Outgoing, 2); // within the hour after it: cooling down
        await ErrorsAsync(OrgScenario.Incoming, 1); // incoming is off (limit 0)
        var fired = Assert.Single(await org.NotificationsAsync());
        await Eventually.TrueAsync(async () => (await org.NotificationsAsync()).Single().Status == NotificationStatus.Sent, "the alert was sent");

        var log = (await org.Org.DecisionsAsync(new DecisionQuery(UserId: "ops")))!;
        Assert.Equal(
            [(Direction.Incoming, DecisionOutcome.Inactive), (Direction.Outgoing, DecisionOutcome.CoolingDown),
             (Direction.Outgoing, DecisionOutcome.Fired), (Direction.Outgoing, DecisionOutcome.BelowLimit)],
            log.Select(d => (d.Direction, d.Outcome)));
        var (cooling, alert, below) = (log[1], log[2], log[3]);
        Assert.Equal((2, 2), (below.Errors, below.Evaluations));
        Assert.Equal((3, 3, fired.Id), (alert.Errors, alert.Limit, alert.NotificationId));
        Assert.Equal(2, cooling.Errors);
        Assert.Equal(alert.At + TimeSpan.FromHours(1), cooling.CooldownEndsAt);
        Assert.Equal(below.From + TimeSpan.FromMinutes(1), below.At);

        // ops was sent the alert, and told why nothing came during the cooldown.
        Assert.True(alert.ForUser!.Notified);
        Assert.StartsWith($"Sent to {opsEmail} at ", alert.ForUser.Reason);
        Assert.False(cooling.ForUser!.Notified);
        Assert.Contains("Held by the cooldown", cooling.ForUser.Reason);
        Assert.Contains("Below the limit: 2 of 3 errors within 1h", below.ForUser!.Reason);

        // sales follows incoming errors only: not subscribed to the outgoing alert; incoming sends nothing at limit 0.
        var forSales = (await org.Org.DecisionsAsync(new DecisionQuery(UserId: "sales")))!;
        Assert.False(forSales[2].ForUser!.Notified);
        Assert.Equal($"sales is not subscribed to {NotificationEvents.OutgoingIntegrationError} (their notification_events do not include it).", forSales[2].ForUser!.Reason);
        Assert.Contains("Off: the limit is 0", forSales[0].ForUser!.Reason);

        // One direction, and no user: no explanation.
        var outgoing = (await org.Org.DecisionsAsync(new DecisionQuery(Direction.Outgoing, Limit: 2)))!;
        Assert.Equal([DecisionOutcome.CoolingDown, DecisionOutcome.Fired], outgoing.Select(d => d.Outcome));
        Assert.All(outgoing, d => Assert.Null(d.ForUser));
    }

    [Fact]
    public async Task The_log_survives_reactivation_and_stays_bounded()
    {
        // Nobody subscribed: each alert is logged with no recipients, so the test does not wait on 105 e-mails.
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(1, FailureInterval.FiveMinutes));
        for (var i = 0; i < 105; i++)
        {
            await org.ErrorsAsync(OrgScenario.Outgoing, 1);
            ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(6));
        }
        await fixture.DeactivateIdleAsync();
        var log = (await org.Org.DecisionsAsync(new DecisionQuery(Direction.Outgoing, Limit: 200)))!;
        Assert.Equal(Alerts.Grains.Thresholds.DecisionLog.MaxEntries, log.Count);
        Assert.All(log, d => Assert.Equal(DecisionOutcome.Fired, d.Outcome));
    }

    [Fact]
    public async Task A_test_notification_reaches_only_the_user_through_the_outbox_marked_as_a_test()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var email = await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.AddUserAsync("other", NotificationEvents.OutgoingIntegrationError);

        var id = await org.Org.SendTestNotificationAsync("ops");
        Assert.NotNull(id);
        Assert.Null(await org.Org.SendTestNotificationAsync("nobody"));

        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(org.Domain).Count >= 1, "the test e-mail was sent");
        var sent = Assert.Single(ClusterFixture.Emails.SentTo(org.Domain));
        Assert.Equal(email, sent.To);
        Assert.Equal("[Test] Alerts can reach you", sent.Content.Subject);
        Assert.Contains("test notification for ops", sent.Content.Text);
        Assert.Contains("/decisions", sent.Content.Text);
        await Eventually.TrueAsync(async () => (await org.NotificationsAsync()).Single().Status == NotificationStatus.Sent, "logged as sent");
        var logged = Assert.Single(await org.NotificationsAsync());
        Assert.Equal((id, NotificationKind.Test), (logged.Id, logged.Kind));
    }
}
