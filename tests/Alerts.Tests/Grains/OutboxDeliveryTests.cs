using Alerts.Contracts;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>The outbox on the test cluster: retries with back-off on Alerts' clock, permanent rejections, one Message-ID.</summary>
[Collection(ClusterTests.Name)]
public sealed class OutboxDeliveryTests(ClusterFixture fixture)
{
    private static readonly DirectionSettings TwoInOneHour = new(2, FailureInterval.OneHour);

    [Fact]
    public async Task A_relay_that_is_down_is_retried_after_the_back_off_and_the_email_sent_once()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: TwoInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        ClusterFixture.Emails.Unreachable = true;
        try
        {
            await org.ErrorsAsync(OrgScenario.Outgoing, 2);
            await Eventually.TrueAsync(async () => (await org.NotificationsAsync())[0].Attempts == 1, "the first attempt failed");
        }
        finally
        {
            ClusterFixture.Emails.Unreachable = false;
        }
        var pending = (await org.NotificationsAsync())[0];
        Assert.Equal(NotificationStatus.Pending, pending.Status);
        Assert.Contains("connection refused", pending.LastError);
        Assert.Empty(ClusterFixture.Emails.SentTo(org.Domain));

        // Nothing happens before the back-off has passed on Alerts' clock...
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(300);
        Assert.Empty(ClusterFixture.Emails.SentTo(org.Domain));

        // ...and exactly one message once it has.
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(async () => (await org.NotificationsAsync())[0].Status == NotificationStatus.Sent, "the retry succeeded");
        Assert.Single(ClusterFixture.Emails.SentTo(org.Domain));
        Assert.Equal(2, (await org.NotificationsAsync())[0].Attempts);

        var attempts = ClusterFixture.Emails.AttemptedTo(org.Domain);
        Assert.Equal(2, attempts.Count);
        Assert.Single(attempts.Select(a => a.MessageId).Distinct());
    }

    [Fact]
    public async Task A_rejected_recipient_fails_for_good_while_the_others_are_sent()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: TwoInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.AddUserAsync("rejected", NotificationEvents.OutgoingIntegrationError);

        await org.ErrorsAsync(OrgScenario.Outgoing, 2);

        await Eventually.TrueAsync(async () => (await org.NotificationsAsync())[0].Status != NotificationStatus.Pending, "the entry finished");
        var entry = (await org.NotificationsAsync())[0];
        Assert.Equal(NotificationStatus.Failed, entry.Status);
        Assert.Equal(1, entry.Attempts);
        Assert.Contains("550", entry.LastError);
        Assert.Equal([$"ops@{org.Domain}"], ClusterFixture.Emails.SentTo(org.Domain).Select(m => m.To));

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(300);
        Assert.Single(ClusterFixture.Emails.AttemptedTo($"rejected@{org.Domain}"));
    }

    [Fact]
    public async Task Each_recipient_gets_a_message_id_of_its_own_derived_from_the_entry()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: TwoInOneHour);
        await org.AddUserAsync("a", NotificationEvents.OutgoingIntegrationError);
        await org.AddUserAsync("b", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 2);
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(org.Domain).Count == 2, "both were sent");
        var entryId = (await org.NotificationsAsync())[0].Id;
        var ids = ClusterFixture.Emails.SentTo(org.Domain).Select(m => m.MessageId).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith(entryId + ".", id));
    }
}
