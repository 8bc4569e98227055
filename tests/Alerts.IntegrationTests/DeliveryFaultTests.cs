using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>SPEC §8: no e-mail is lost or sent twice when the SMTP server or the silo fails.</summary>
public sealed class DeliveryFaultTests
{
    [Fact]
    public async Task With_the_inbox_down_the_email_waits_and_arrives_once_when_it_is_back()
    {
        await using var deployment = await StartAsync(TestSettings.QuickReminders);
        var org = await ApiScenario.CreateAsync(deployment.Api, limit: 3);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook");

        await deployment.StopMailDevAsync();
        await org.PostErrorsAsync("crm", 3);

        await Eventually.TrueAsync(async () => (int)(await org.NotificationsAsync())[0]!["attempts"]! >= 1, "a delivery was attempted", TimeSpan.FromSeconds(20));
        var pending = (await org.NotificationsAsync())[0]!;
        Assert.Equal("pending", (string)pending["status"]!);
        Assert.Contains(deployment.SmtpPort.ToString(CultureInfo.InvariantCulture), (string)pending["last_error"]!);

        await deployment.StartMailDevAsync();
        var mail = Assert.Single(await deployment.Inbox.WaitForAsync(org.Domain, 1, TimeSpan.FromSeconds(90)));
        Assert.Contains("3 errors in outgoing integrations", mail.Text);
        await Eventually.TrueAsync(async () => (string)(await org.NotificationsAsync())[0]!["status"]! == "sent", "the entry is recorded as sent");
        await Task.Delay(4000);
        Assert.Single(await deployment.Inbox.MessagesToAsync(org.Domain));
        Assert.True((int)(await org.NotificationsAsync())[0]!["attempts"]! >= 2);
    }

    [Fact]
    public async Task A_silo_killed_after_the_decision_and_before_sending_sends_exactly_once_after_restart()
    {
        // The new silo must first declare the killed one dead (its reminders and grains were the dead one's).
        await using var deployment = await StartAsync(TestSettings.FastFailover);
        var org = await ApiScenario.CreateAsync(deployment.Api, limit: 3);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddUserAsync("dev", "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook");

        // The decision is made and stored, but the inbox is down, so nothing can be sent before the crash.
        await deployment.StopMailDevAsync();
        await org.PostErrorsAsync("crm", 3);
        Assert.Equal("pending", (string)(await org.NotificationsAsync())[0]!["status"]!);
        await deployment.StopSiloAsync(deployment.Silos[0], kill: true);

        await deployment.StartMailDevAsync();
        await deployment.StartSiloAsync();

        var mails = await deployment.Inbox.WaitForAsync(org.Domain, 2, TimeSpan.FromSeconds(90));
        Assert.Equal([$"dev@{org.Domain}", $"ops@{org.Domain}"], mails.SelectMany(m => m.To).Order());
        await Task.Delay(4000);
        Assert.Equal(2, (await deployment.Inbox.MessagesToAsync(org.Domain)).Count);
    }

    [Fact]
    public async Task Over_the_relay_rate_limit_messages_wait_and_none_is_dropped()
    {
        await using var deployment = await StartAsync(new Dictionary<string, string>
        {
            ["Alerts__Email__MaxMessagesPerWindow"] = "2",
            ["Alerts__Email__RateWindow"] = "00:00:03",
        });
        var org = await ApiScenario.CreateAsync(deployment.Api, limit: 1);
        var users = Enumerable.Range(1, 5).Select(i => $"user{i}").ToList();
        foreach (var user in users) await org.AddUserAsync(user, "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook");

        await org.PostErrorsAsync("crm", 1);

        var mails = await deployment.Inbox.WaitForAsync(org.Domain, 5, TimeSpan.FromSeconds(60));
        Assert.Equal(users.Select(u => $"{u}@{org.Domain}").Order(), mails.SelectMany(m => m.To).Order());
        var times = (await deployment.Inbox.ReceivedTimesAsync(org.Domain)).Order().ToList();
        // Five messages at two per three seconds cannot all arrive within one window.
        Assert.True(times[^1] - times[0] >= TimeSpan.FromSeconds(3), $"arrived between {times[0]:O} and {times[^1]:O}");
        // The last message reaches the inbox a moment before its result is recorded and the entry finished: wait for that.
        await Eventually.TrueAsync(async () => (string?)(await org.NotificationsAsync())[0]!["status"] != "pending", "the notification finished");
        Assert.Equal("sent", (string)(await org.NotificationsAsync())[0]!["status"]!);
    }

    private static Task<LocalDeployment> StartAsync(Dictionary<string, string> settings) => new LocalDeployment(settings: settings).StartAllAsync();
}
