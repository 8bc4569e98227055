using Alerts.Contracts;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>SPEC §2 on the test cluster, with Alerts' clock under the test's control.</summary>
[Collection(ClusterTests.Name)]
public sealed class ThresholdAlertTests(ClusterFixture fixture)
{
    private static readonly DirectionSettings FiveInOneHour = new(5, FailureInterval.OneHour);
    private static Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => ClusterFixture.Clock;

    [Fact]
    public async Task Fires_on_the_nth_error_within_the_interval_and_not_before()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour);
        var ops = await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);

        await org.ErrorsAsync(OrgScenario.Outgoing, 4);
        Assert.Empty(await org.NotificationsAsync());

        var firedAt = Clock.GetUtcNow();
        await org.ErrorsAsync(OrgScenario.Outgoing, 1);

        var notification = Assert.Single(await org.NotificationsAsync());
        Assert.Equal(NotificationKind.ThresholdExceeded, notification.Kind);
        Assert.Equal(Direction.Outgoing, notification.Direction);
        Assert.Equal(5, notification.ErrorCount);
        Assert.Equal([ops], notification.Recipients);
        Assert.Equal(firedAt, (await org.Org.GetAsync())!.OutgoingLastFailureAt);

        var email = Assert.Single(await DeliveredAsync(org, 1));
        Assert.Equal(ops, email.To);
        Assert.Equal("Integration error threshold exceeded", email.Content.Subject);
        Assert.Contains("5 errors in outgoing integrations", email.Content.Text);
        Assert.Contains($"Org {org.OrgId}", email.Content.Text);
        Assert.Contains("CRM push", email.Content.Text);
        Assert.Contains("CRM push", email.Content.Html);
    }

    [Fact]
    public async Task Errors_older_than_the_interval_do_not_count()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);

        await org.ErrorsAsync(OrgScenario.Outgoing, 3);
        Clock.Advance(TimeSpan.FromMinutes(61));
        await org.ErrorsAsync(OrgScenario.Outgoing, 2);
        Assert.Empty(await org.NotificationsAsync());

        // Reported late: occurred two hours ago, so outside the window.
        await org.ErrorsAsync(OrgScenario.Outgoing, 5, Clock.GetUtcNow().AddHours(-2));
        Assert.Empty(await org.NotificationsAsync());

        await org.ErrorsAsync(OrgScenario.Outgoing, 3);
        Assert.Equal(5, Assert.Single(await org.NotificationsAsync()).ErrorCount);
    }

    [Fact]
    public async Task No_second_notification_inside_the_cooldown()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 5);

        Clock.Advance(TimeSpan.FromMinutes(30));
        await org.ErrorsAsync(OrgScenario.Outgoing, 20);
        Clock.Advance(TimeSpan.FromMinutes(29));
        await org.ErrorsAsync(OrgScenario.Outgoing, 20);

        Assert.Single(await org.NotificationsAsync());
        Assert.Single(await DeliveredAsync(org, 1));
    }

    [Fact]
    public async Task At_cooldown_end_errors_that_piled_up_are_notified_without_a_new_error()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        var firstAt = Clock.GetUtcNow();
        await org.ErrorsAsync(OrgScenario.Outgoing, 5);

        var reminder = await fixture.ReminderAsync(org.OrgId, "cooldown-outgoing");
        Assert.NotNull(reminder);
        // Registered to fire one interval after the notification (the cluster's real clock schedules it).
        Assert.InRange(reminder.StartAt, DateTime.UtcNow.AddMinutes(59), DateTime.UtcNow.AddMinutes(61));

        Clock.Advance(TimeSpan.FromMinutes(10));
        await org.ErrorsAsync(OrgScenario.Outgoing, 6);
        Assert.Single(await org.NotificationsAsync());

        Clock.Advance(TimeSpan.FromMinutes(50));
        await fixture.TickReminderAsync(org.OrgId, "cooldown-outgoing");

        var notifications = await org.NotificationsAsync();
        Assert.Equal(2, notifications.Count);
        Assert.Equal(6, notifications[0].ErrorCount);
        Assert.Equal(firstAt.AddHours(1), (await org.Org.GetAsync())!.OutgoingLastFailureAt);
        Assert.Equal(2, (await DeliveredAsync(org, 2)).Count);
    }

    [Fact]
    public async Task A_cooldown_reminder_that_went_missing_is_rebuilt_from_the_snapshot_when_the_organization_activates()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 5);
        var due = (await fixture.ReminderAsync(org.OrgId, "cooldown-outgoing"))!.StartAt;

        await fixture.LoseReminderAsync(org.OrgId, "cooldown-outgoing");
        Assert.Null(await fixture.ReminderAsync(org.OrgId, "cooldown-outgoing"));
        await fixture.DeactivateIdleAsync();
        await org.Org.GetAsync();

        // Rebuilt right after the activation, off its path (reports are taken meanwhile): waited for, not assumed done.
        ReminderEntry? rebuilt = null;
        await Eventually.TrueAsync(async () => (rebuilt = await fixture.ReminderAsync(org.OrgId, "cooldown-outgoing")) is not null, "the reminder was rebuilt");
        Assert.InRange(rebuilt!.StartAt, due.AddSeconds(-5), due.AddSeconds(5));
    }

    [Fact]
    public async Task At_cooldown_end_nothing_is_sent_when_errors_did_not_pile_up()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 5);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await org.ErrorsAsync(OrgScenario.Outgoing, 4);

        Clock.Advance(TimeSpan.FromMinutes(50));
        await fixture.TickReminderAsync(org.OrgId, "cooldown-outgoing");

        Assert.Single(await org.NotificationsAsync());
        Assert.Null(await fixture.ReminderAsync(org.OrgId, "cooldown-outgoing"));
    }

    [Fact]
    public async Task Limit_zero_disables_the_direction()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(0, FailureInterval.OneHour));
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 50);
        Assert.Empty(await org.NotificationsAsync());
    }

    [Fact]
    public async Task Setting_the_limit_to_zero_stops_notifications_at_once()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 4);
        await org.UpdateSettingsAsync(new DirectionSettings(0, FailureInterval.OneHour));
        await org.ErrorsAsync(OrgScenario.Outgoing, 10);
        await org.EvaluateAsync();
        Assert.Empty(await org.NotificationsAsync());
    }

    [Theory]
    [InlineData(5, null)]
    [InlineData(null, FailureInterval.OneHour)]
    [InlineData(null, null)]
    public async Task Both_settings_are_required(int? limit, FailureInterval? interval)
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(limit, interval));
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 50);
        Assert.Empty(await org.NotificationsAsync());
    }

    [Fact]
    public async Task Only_users_subscribed_to_the_direction_receive_it()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour, incoming: FiveInOneHour);
        var outgoingOnly = await org.AddUserAsync("out", NotificationEvents.OutgoingIntegrationError);
        var incomingOnly = await org.AddUserAsync("in", NotificationEvents.IncomingWebhookError);
        var both = await org.AddUserAsync("both", NotificationEvents.IncomingWebhookError, NotificationEvents.OutgoingIntegrationError);
        await org.AddUserAsync("none", "run_failed");

        await org.ErrorsAsync(OrgScenario.Outgoing, 5);
        var outgoing = Assert.Single(await org.NotificationsAsync());
        Assert.Equal([both, outgoingOnly], outgoing.Recipients);
        Assert.Equal([both, outgoingOnly], (await DeliveredAsync(org, 2)).Select(m => m.To).Order());

        await org.ErrorsAsync(OrgScenario.Incoming, 5);
        var incoming = (await org.NotificationsAsync())[0];
        Assert.Equal(Direction.Incoming, incoming.Direction);
        Assert.Equal([both, incomingOnly], incoming.Recipients);
        var all = await DeliveredAsync(org, 4);
        Assert.DoesNotContain(all, m => m.To.StartsWith("none@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_threshold_with_no_subscribers_is_logged_but_sends_nothing()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour);
        await org.AddUserAsync("other", NotificationEvents.IncomingWebhookError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 5);

        var notification = Assert.Single(await org.NotificationsAsync());
        Assert.Equal(NotificationStatus.NoRecipients, notification.Status);
        Assert.Empty(notification.Recipients);
        Assert.Empty(ClusterFixture.Emails.SentTo(org.Domain));
    }

    [Fact]
    public async Task A_re_reported_event_id_counts_once()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        Attempt Error(string id) => new(id, AttemptOutcome.Error);

        var first = await org.RecordAsync(OrgScenario.Outgoing, Error("a"), Error("b"), Error("c"), Error("a"));
        Assert.Equal((3, 1), (first.Accepted, first.Duplicates));
        var again = await org.RecordAsync(OrgScenario.Outgoing, Error("b"), Error("c"), Error("d"));
        Assert.Equal((1, 2), (again.Accepted, again.Duplicates));
        Assert.Empty(await org.NotificationsAsync());

        await org.RecordAsync(OrgScenario.Outgoing, Error("e"));
        Assert.Equal(5, Assert.Single(await org.NotificationsAsync()).ErrorCount);
        var integration = await org.Grains.GetIntegration(org.OrgId, OrgScenario.Outgoing).GetAsync();
        Assert.Equal(5, integration!.Errors);
    }

    [Fact]
    public async Task Successes_do_not_count()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.RecordAsync(OrgScenario.Outgoing, Enumerable.Range(0, 10).Select(i => new Attempt($"ok-{i}", AttemptOutcome.Success)).ToArray());
        await org.ErrorsAsync(OrgScenario.Outgoing, 4);
        Assert.Empty(await org.NotificationsAsync());
        Assert.Equal(10, (await org.Grains.GetIntegration(org.OrgId, OrgScenario.Outgoing).GetAsync())!.Successes);
    }

    [Fact]
    public async Task Errors_of_other_organizations_or_the_other_direction_never_count()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour, incoming: new DirectionSettings(100, FailureInterval.OneHour));
        var neighbour = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(1000, FailureInterval.OneHour));
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError, NotificationEvents.IncomingWebhookError);

        await org.ErrorsAsync(OrgScenario.Outgoing, 4);
        await neighbour.ErrorsAsync(OrgScenario.Outgoing, 20);
        await org.ErrorsAsync(OrgScenario.Incoming, 20);
        Assert.Empty(await org.NotificationsAsync());

        await org.ErrorsAsync(OrgScenario.Outgoing, 1);
        var notification = Assert.Single(await org.NotificationsAsync());
        Assert.Equal((Direction.Outgoing, 5), (notification.Direction!.Value, notification.ErrorCount));
    }

    [Fact]
    public async Task A_settings_change_takes_effect_at_the_next_error()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(10, FailureInterval.OneHour));
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 6);

        await org.UpdateSettingsAsync(FiveInOneHour);
        Assert.Empty(await org.NotificationsAsync());

        await org.ErrorsAsync(OrgScenario.Outgoing, 1);
        Assert.Equal(7, Assert.Single(await org.NotificationsAsync()).ErrorCount);
    }

    [Fact]
    public async Task A_longer_interval_counts_the_errors_the_shorter_one_still_held_and_no_older()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(5, FailureInterval.FiveMinutes));
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 2);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await org.ErrorsAsync(OrgScenario.Outgoing, 2);
        Clock.Advance(TimeSpan.FromMinutes(1));

        // The first two had left the 5-minute window; the last two are still in it when the window grows to an hour.
        await org.UpdateSettingsAsync(FiveInOneHour);
        await org.ErrorsAsync(OrgScenario.Outgoing, 1);
        Assert.Empty(await org.NotificationsAsync());
        await org.ErrorsAsync(OrgScenario.Outgoing, 2);
        Assert.Equal(5, Assert.Single(await org.NotificationsAsync()).ErrorCount);
    }

    [Fact]
    public async Task Errors_reported_while_a_direction_is_off_are_not_kept_for_later()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(0, FailureInterval.OneHour));
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 10);
        await org.UpdateSettingsAsync(FiveInOneHour);
        await org.ErrorsAsync(OrgScenario.Outgoing, 4);
        Assert.Empty(await org.NotificationsAsync());
        await org.ErrorsAsync(OrgScenario.Outgoing, 1);
        Assert.Equal(5, Assert.Single(await org.NotificationsAsync()).ErrorCount);
    }

    [Fact]
    public async Task A_non_production_organization_names_its_environment_in_the_subject()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour, environment: "staging", production: false);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 5);

        Assert.Equal("[staging] Integration error threshold exceeded", Assert.Single(await org.NotificationsAsync()).Subject);
        Assert.Equal("[staging] Integration error threshold exceeded", Assert.Single(await DeliveredAsync(org, 1)).Content.Subject);
    }

    private static async Task<IReadOnlyList<Silo.Notify.Email.OutgoingEmail>> DeliveredAsync(OrgScenario org, int expected)
    {
        await Eventually.TrueAsync(
            async () => (await org.NotificationsAsync()).All(n => n.Status != NotificationStatus.Pending)
                        && ClusterFixture.Emails.SentTo(org.Domain).Count >= expected,
            $"{expected} e-mail(s) were delivered for {org.OrgId}");
        return ClusterFixture.Emails.SentTo(org.Domain);
    }
}
