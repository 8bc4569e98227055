using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>The outbox on the test cluster: leases, per-message results, pending work that follows later changes, the log.</summary>
[Collection(ClusterTests.Name)]
public sealed class OutboxTests(ClusterFixture fixture)
{
    private static readonly DirectionSettings TwoInOneHour = new(2, FailureInterval.OneHour);
    private static Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => ClusterFixture.Clock;

    [Fact]
    public async Task A_channel_that_throws_for_one_recipient_fails_only_that_message()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: TwoInOneHour);
        var ops = await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        var explodes = await org.AddUserAsync("explodes", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 2);

        await Eventually.TrueAsync(async () => (await org.NotificationsAsync())[0].Attempts == 1, "the first pass ended");
        var detail = (await org.Org.GetNotificationAsync((await org.NotificationsAsync())[0].Id))!;
        Assert.Equal(NotificationStatus.Sent, detail.Recipients.Single(r => r.Address == ops).Status);
        var failed = detail.Recipients.Single(r => r.Address == explodes);
        Assert.Equal((NotificationStatus.Pending, 1), (failed.Status, failed.Attempts));
        Assert.Contains("cannot handle", failed.Reply);

        // The retry goes to the one that failed, not to the one already sent.
        Clock.Advance(RetrySchedule.DelayAfter(1));
        await Eventually.TrueAsync(() => ClusterFixture.Emails.AttemptedTo(explodes).Count == 2, "the failed message was retried");
        Assert.Single(ClusterFixture.Emails.SentTo(ops));
    }

    [Fact]
    public async Task While_a_live_worker_holds_a_pass_no_other_gets_it_and_a_pass_that_lost_its_lease_records_nothing()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: TwoInOneHour);
        var hung = await org.AddUserAsync("hung", NotificationEvents.OutgoingIntegrationError);
        var gate = ClusterFixture.Emails.Gate(hung);
        await org.ErrorsAsync(OrgScenario.Outgoing, 2);
        var entryId = (await org.NotificationsAsync())[0].Id;
        var outbox = fixture.Grains.GetGrain<IOutboxGrain>(org.OrgId);
        // The silo's worker is mid-message (its relay hangs): another worker gets no pass.
        await Eventually.TrueAsync(() => ClusterFixture.Emails.IsWaitingAtGate(hung), "the worker is sending to the hung relay");
        Assert.Null(await outbox.BeginPassAsync(entryId, "another-worker"));
        Assert.Equal(NotificationStatus.Pending, (await org.Org.GetNotificationAsync(entryId))!.Notification.Status);

        // Its lease is kept while it renews; a lease left unrenewed for the whole lease length may be taken over...
        Clock.Advance(TimeSpan.FromMinutes(16));
        var takeover = await outbox.BeginPassAsync(entryId, "another-worker");
        Assert.NotNull(takeover);
        Assert.Equal([hung], takeover.Recipients);

        // ...and then the first pass's result is refused: it stops, and the new holder decides what is sent.
        gate.SetResult();
        await Eventually.TrueAsync(() => ClusterFixture.Emails.AttemptedTo(hung).Count == 1, "the hung message completed");
        await Task.Delay(200);
        Assert.Equal(NotificationStatus.Pending, (await org.Org.GetNotificationAsync(entryId))!.Recipients.Single().Status);
        Assert.Equal(ClaimResult.Send, await outbox.ClaimAsync(entryId, takeover.PassId, hung));
        Assert.True(await outbox.RecordAsync(entryId, takeover.PassId, new RecipientResult(hung, RecipientOutcome.Delivered, "250 OK")));
        Assert.Null(await outbox.EndPassAsync(entryId, takeover.PassId, interrupted: false));
        Assert.Equal(NotificationStatus.Sent, (await org.NotificationsAsync())[0].Status);
    }

    [Fact]
    public async Task Notifications_beyond_the_silos_passes_wait_unleased_and_go_out_when_a_pass_ends()
    {
        // Every pass the silo runs at once is mid-message at a hung relay...
        var busy = new List<(OrgScenario Org, string Address, TaskCompletionSource Gate)>();
        var waiting = await OrgScenario.CreateAsync(fixture.Grains, outgoing: TwoInOneHour);
        var queued = await waiting.AddUserAsync("queued", NotificationEvents.OutgoingIntegrationError);
        try
        {
            for (var i = 0; i < ClusterFixture.OutboxPasses; i++)
            {
                var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: TwoInOneHour);
                var hung = await org.AddUserAsync("hung", NotificationEvents.OutgoingIntegrationError);
                busy.Add((org, hung, ClusterFixture.Emails.Gate(hung)));
                await org.ErrorsAsync(OrgScenario.Outgoing, 2);
            }
            foreach (var (_, hung, _) in busy)
                await Eventually.TrueAsync(() => ClusterFixture.Emails.IsWaitingAtGate(hung), "every pass is sending to a hung relay");

            // ...so another organization's alert waits in the silo's queue without a lease: another worker could take it.
            await waiting.ErrorsAsync(OrgScenario.Outgoing, 2);
            var entryId = (await waiting.NotificationsAsync())[0].Id;
            var outbox = fixture.Grains.GetGrain<IOutboxGrain>(waiting.OrgId);
            var pass = await outbox.BeginPassAsync(entryId, "another-worker");
            Assert.NotNull(pass);
            Assert.Equal([queued], pass.Recipients);
            Assert.Empty(ClusterFixture.Emails.AttemptedTo(queued));
            await outbox.EndPassAsync(entryId, pass.PassId, interrupted: true);

            // One hung message completes: its place goes to the waiting alert, which is sent once.
            busy[0].Gate.SetResult();
            await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(queued).Count == 1, "the queued alert went out when a pass ended");
            await Eventually.TrueAsync(async () => (await waiting.NotificationsAsync())[0].Status == NotificationStatus.Sent, "the queued alert is recorded as sent");
        }
        finally
        {
            foreach (var (_, _, gate) in busy) gate.TrySetResult();
        }
        foreach (var (org, hung, _) in busy)
            await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(hung).Count == 1, "every hung message completed");
        Assert.Single(ClusterFixture.Emails.SentTo(queued));
    }

    [Fact]
    public async Task Switching_a_direction_off_cancels_its_pending_alert_and_nothing_is_sent()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: TwoInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        ClusterFixture.Emails.Unreachable = true;
        try
        {
            await org.ErrorsAsync(OrgScenario.Outgoing, 2);
            await Eventually.TrueAsync(async () => (await org.NotificationsAsync())[0].Attempts == 1, "the first attempt failed");
            await org.UpdateSettingsAsync(new DirectionSettings(0, FailureInterval.OneHour));
        }
        finally
        {
            ClusterFixture.Emails.Unreachable = false;
        }
        var cancelled = (await org.NotificationsAsync())[0];
        Assert.Equal(NotificationStatus.Cancelled, cancelled.Status);
        Assert.Contains("switched off", cancelled.CancelReason);
        Clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(300);
        Assert.Empty(ClusterFixture.Emails.SentTo(org.Domain));
        Assert.All((await org.Org.GetNotificationAsync(cancelled.Id))!.Recipients, r => Assert.Equal(NotificationStatus.Cancelled, r.Status));
    }

    [Fact]
    public async Task A_user_deleted_or_unsubscribed_while_an_alert_is_pending_does_not_get_it()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: TwoInOneHour);
        var stays = await org.AddUserAsync("stays", NotificationEvents.OutgoingIntegrationError);
        var leaves = await org.AddUserAsync("leaves", NotificationEvents.OutgoingIntegrationError);
        var unsubscribes = await org.AddUserAsync("unsubscribes", NotificationEvents.OutgoingIntegrationError);
        ClusterFixture.Emails.Unreachable = true;
        try
        {
            await org.ErrorsAsync(OrgScenario.Outgoing, 2);
            await Eventually.TrueAsync(async () => (await org.NotificationsAsync())[0].Attempts == 1, "the first attempt failed");
            await org.Org.DeleteUserAsync("leaves");
            await org.AddUserAsync("unsubscribes", NotificationEvents.IncomingWebhookError);
        }
        finally
        {
            ClusterFixture.Emails.Unreachable = false;
        }
        Clock.Advance(RetrySchedule.DelayAfter(1));
        await Eventually.TrueAsync(async () => (await org.NotificationsAsync())[0].Status == NotificationStatus.Sent, "the retry went out");
        Assert.Equal([stays], ClusterFixture.Emails.SentTo(org.Domain).Select(m => m.To));
        var recipients = (await org.Org.GetNotificationAsync((await org.NotificationsAsync())[0].Id))!.Recipients.ToDictionary(r => r.Address);
        Assert.Equal(NotificationStatus.Dropped, recipients[leaves].Status);
        Assert.Contains("deleted", recipients[leaves].Reply);
        Assert.Equal(NotificationStatus.Dropped, recipients[unsubscribes].Status);
    }

    [Fact]
    public async Task The_log_pages_newest_first_and_filters_by_status()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(1, FailureInterval.FiveMinutes));
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        for (var i = 0; i < 3; i++)
        {
            await org.ErrorsAsync(OrgScenario.Outgoing, 1);
            Clock.Advance(TimeSpan.FromMinutes(6));
        }
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(org.Domain).Count == 3, "three alerts were sent");
        await Eventually.TrueAsync(async () => (await org.NotificationsAsync()).All(n => n.Status == NotificationStatus.Sent), "all finished");

        var first = await org.Org.ListNotificationsAsync(new NotificationQuery(2));
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.Next);
        var second = await org.Org.ListNotificationsAsync(new NotificationQuery(2, first.Next));
        Assert.Single(second.Items);
        Assert.Null(second.Next);
        var all = first.Items.Concat(second.Items).ToList();
        Assert.Equal(all.OrderByDescending(n => n.CreatedAt).Select(n => n.Id), all.Select(n => n.Id));
        Assert.Equal(3, all.Select(n => n.Id).Distinct().Count());
        Assert.Empty((await org.Org.ListNotificationsAsync(new NotificationQuery(10, Status: NotificationStatus.Pending))).Items);
        Assert.Equal(3, (await org.Org.ListNotificationsAsync(new NotificationQuery(10, Kind: NotificationKind.ThresholdExceeded, Status: NotificationStatus.Sent))).Items.Count);
    }
}
