using System.Diagnostics.Metrics;
using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// Notifications reach recipients on any channel through the same outbox stages: a recipient is a channel and an
/// address; each channel renders once and sends to its own; results are recorded per recipient.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class ChannelDeliveryTests(ClusterFixture fixture)
{
    private static OutboxEntry Notice(string orgId, string id) => new()
    {
        Id = id,
        Payload = new ConnectionNotice(orgId, "Acme", "staging", false, "c1", "CRM login", false, ClusterFixture.Clock.GetUtcNow(), ["CRM sync"], 1),
        Subject = "[staging] Connection CRM login is offline",
        CreatedAt = ClusterFixture.Clock.GetUtcNow(),
    };

    [Fact]
    public async Task One_notification_goes_out_once_on_each_channel_its_recipients_name()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var hook = $"https://chat.example.test/hooks/{org.OrgId}";
        var recipients = new[] { Recipient.Email($"ops@{org.Domain}").Key, new Recipient("chat", hook).Key };

        await fixture.Grains.GetGrain<IOutboxGrain>(org.OrgId).EnqueueAsync(Notice(org.OrgId, "notice-1"), recipients);

        await Eventually.TrueAsync(async () => (await org.NotificationsAsync()).Single().Status == NotificationStatus.Sent, "the notice was sent");
        var mail = Assert.Single(ClusterFixture.Emails.SentTo(org.Domain));
        Assert.Equal("[staging] Connection CRM login is offline", mail.Content.Subject);
        var post = Assert.Single(ClusterFixture.Chat.PostedTo(hook));
        Assert.Equal("*[staging] Connection CRM login is offline*", post.Text);
        Assert.NotEqual(mail.MessageId, post.MessageId);

        var detail = await org.Org.GetNotificationAsync("notice-1");
        Assert.Equal(recipients.Order(StringComparer.OrdinalIgnoreCase), detail!.Recipients.Select(r => r.Address));
        Assert.All(detail.Recipients, r => Assert.Equal(NotificationStatus.Sent, r.Status));
    }

    [Fact]
    public async Task A_channel_refusing_for_good_or_one_not_configured_fails_that_recipient_only()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var gone = $"gone-{org.OrgId}";
        var recipients = new[]
        {
            Recipient.Email($"ops@{org.Domain}").Key,
            new Recipient("chat", gone).Key,
            new Recipient("pager", $"team-{org.OrgId}").Key,
        };

        await fixture.Grains.GetGrain<IOutboxGrain>(org.OrgId).EnqueueAsync(Notice(org.OrgId, "notice-2"), recipients);

        await Eventually.TrueAsync(async () => (await org.NotificationsAsync()).Single().Status != NotificationStatus.Pending, "the notice finished");
        Assert.Single(ClusterFixture.Emails.SentTo(org.Domain));
        Assert.Empty(ClusterFixture.Chat.PostedTo(gone));
        var detail = await org.Org.GetNotificationAsync("notice-2");
        var byAddress = detail!.Recipients.ToDictionary(r => r.Address);
        Assert.Equal(NotificationStatus.Sent, byAddress[recipients[0]].Status);
        Assert.Equal(NotificationStatus.Failed, byAddress[recipients[1]].Status);
        Assert.Contains("404", byAddress[recipients[1]].Reply);
        Assert.Equal(NotificationStatus.Failed, byAddress[recipients[2]].Status);
        Assert.Contains("no channel named 'pager'", byAddress[recipients[2]].Reply);
    }

    [Fact]
    public async Task A_notification_waiting_on_its_channel_shows_as_the_oldest_pending_age_until_it_is_sent()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var held = $"held-{org.OrgId}";
        var notice = Notice(org.OrgId, "notice-held");
        notice.CreatedAt = ClusterFixture.Clock.GetUtcNow() - TimeSpan.FromMinutes(10);

        await fixture.Grains.GetGrain<IOutboxGrain>(org.OrgId).EnqueueAsync(notice, [new Recipient("chat", held).Key]);

        // Other tests' notifications may be pending too; none is ten minutes old.
        await Eventually.TrueAsync(() => OldestPendingAge() >= 600, "the held notification is the oldest pending, 10 minutes old");
        ClusterFixture.Chat.Release();
        await Eventually.TrueAsync(async () => (await org.NotificationsAsync()).Single().Status == NotificationStatus.Sent, "the notice was sent");
        await Eventually.TrueAsync(() => OldestPendingAge() < 600, "nothing ten minutes old is pending any more");
    }

    /// <summary>The gauge as an exporter reads it.</summary>
    private static double OldestPendingAge()
    {
        double? value = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "alerts.outbox.oldest_pending_age") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value ?? throw new InvalidOperationException("alerts.outbox.oldest_pending_age is not published");
    }
}
