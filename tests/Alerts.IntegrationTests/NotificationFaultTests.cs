using System.Net;
using Alerts.IntegrationTests.Support;
using Orleans.Runtime;

namespace Alerts.IntegrationTests;

/// <summary>
/// SPEC §8 for notifications, on real processes and a real SMTP server: each recipient gets an alert exactly once through
/// a graceful shutdown mid-pass, a storage outage mid-pass and two silos contending for a long queue; pending alerts
/// follow later changes; two silos share one relay limit.
/// </summary>
public sealed class NotificationFaultTests
{
    private static Dictionary<string, string> Paced(int messages, int seconds, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>(TestSettings.FastFailover)
        {
            ["Alerts__Email__MaxMessagesPerWindow"] = messages.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts__Email__RateWindow"] = TimeSpan.FromSeconds(seconds).ToString(),
        };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return settings;
    }

    private static async Task<(ApiScenario Org, List<string> Recipients)> AlertWithRecipientsAsync(HttpClient api, int recipients)
    {
        var org = await ApiScenario.CreateAsync(api, limit: 1);
        var users = Enumerable.Range(1, recipients).Select(i => $"user{i:D2}").ToList();
        await Parallel.ForEachAsync(users, async (user, _) => await org.AddUserAsync(user, "outgoing_integration__error"));
        await org.AddIntegrationAsync("crm", "outbound_webhook");
        await org.PostErrorsAsync("crm", 1);
        return (org, users.Select(u => $"{u}@{org.Domain}").ToList());
    }

    /// <summary>Waits for every recipient's message, then a little longer, and checks that each got exactly one.</summary>
    private static async Task ExactlyOnceAsync(MailDev inbox, ApiScenario org, List<string> recipients, TimeSpan timeout)
    {
        await inbox.WaitForAsync(org.Domain, recipients.Count, timeout);
        await Task.Delay(TimeSpan.FromSeconds(4));
        var received = (await inbox.MessagesToAsync(org.Domain)).SelectMany(m => m.To).Order().ToList();
        Assert.Equal(recipients.Order(), received);
    }

    [Fact]
    public async Task A_graceful_shutdown_mid_pass_sends_each_recipient_exactly_once_after_the_restart()
    {
        await using var deployment = await new LocalDeployment(settings: Paced(5, 2)).StartAllAsync();
        var (org, recipients) = await AlertWithRecipientsAsync(deployment.Api, 42);

        await deployment.Inbox.WaitForAsync(org.Domain, 10, TimeSpan.FromSeconds(60));
        await deployment.StopSiloAsync(deployment.Silos[0], kill: false);
        var beforeRestart = (await deployment.Inbox.MessagesToAsync(org.Domain)).Count;
        Assert.InRange(beforeRestart, 10, recipients.Count - 1);
        await deployment.StartSiloAsync();

        await ExactlyOnceAsync(deployment.Inbox, org, recipients, TimeSpan.FromSeconds(120));
        await Eventually.TrueAsync(async () => (string)(await org.NotificationsAsync())[0]!["status"]! == "sent", "the notification is sent", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Storage_down_for_three_minutes_mid_pass_sends_no_duplicate()
    {
        var data = Path.Combine(Path.GetTempPath(), "alerts-outage-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var deployment = await new LocalDeployment(data, Paced(2, 3)).StartAllAsync();
            var (org, recipients) = await AlertWithRecipientsAsync(deployment.Api, 16);

            await deployment.Inbox.WaitForAsync(org.Domain, 4, TimeSpan.FromSeconds(60));
            await deployment.Storage.StopAsync();
            await Task.Delay(TimeSpan.FromMinutes(3));
            await deployment.Storage.StartAsync();

            await ExactlyOnceAsync(deployment.Inbox, org, recipients, TimeSpan.FromMinutes(3));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Two_silos_contending_for_a_queue_longer_than_the_lease_send_each_recipient_once()
    {
        await using var deployment = new LocalDeployment(settings: Paced(2, 3, new() { ["Alerts__Outbox__PassLease"] = "00:00:06" }));
        await deployment.StartAllAsync();
        await deployment.StartSiloAsync();
        var client = await deployment.ClientAsync();
        var management = client.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, "two silos are active");

        var (org, recipients) = await AlertWithRecipientsAsync(deployment.Api, 10);
        var entryId = (string)(await org.NotificationsAsync())[0]!["id"]!;
        var outbox = client.GetGrain<Grains.Notify.IOutboxGrain>(org.OrgId);
        // The entry was handed to the worker of the silo its outbox lives on; the other silo's worker is handed it too
        // (as after a move of the outbox, or a reminder there) again and again while the queue — 10 messages at 2 per
        // 3 s — outlasts the 6 s lease many times over.
        var sending = (await management.GetActivationAddress(outbox))!;
        var other = (await management.GetHosts(onlyActive: true)).Keys.Single(silo => !silo.Equals(sending));
        var refused = 0;
        while ((await deployment.Inbox.MessagesToAsync(org.Domain)).Count < recipients.Count)
        {
            Assert.Null(await outbox.BeginPassAsync(entryId, other.ToParsableString()));
            refused++;
            await Task.Delay(700);
        }
        await ExactlyOnceAsync(deployment.Inbox, org, recipients, TimeSpan.FromSeconds(10));
        Assert.True(refused > 10, $"the other silo asked {refused} times");
    }

    [Fact]
    public async Task Pending_alerts_follow_later_changes_a_direction_switched_off_or_a_user_deleted()
    {
        await using var deployment = await new LocalDeployment(settings: TestSettings.QuickReminders).StartAllAsync();
        await deployment.StopMailDevAsync();

        var switchedOff = await ApiScenario.CreateAsync(deployment.Api, limit: 1);
        await switchedOff.AddUserAsync("ops", "outgoing_integration__error");
        await switchedOff.AddIntegrationAsync("crm", "outbound_webhook");
        await switchedOff.PostErrorsAsync("crm", 1);

        var lostUser = await ApiScenario.CreateAsync(deployment.Api, limit: 1);
        await lostUser.AddUserAsync("stays", "outgoing_integration__error");
        await lostUser.AddUserAsync("leaves", "outgoing_integration__error");
        await lostUser.AddIntegrationAsync("crm", "outbound_webhook");
        await lostUser.PostErrorsAsync("crm", 1);
        foreach (var org in new[] { switchedOff, lostUser })
            await Eventually.TrueAsync(async () => (int)(await org.NotificationsAsync())[0]!["attempts"]! >= 1, "the first attempt failed", TimeSpan.FromSeconds(30));

        await switchedOff.PutOkAsync(switchedOff.Path, new
        {
            name = "Switched off", environment = "production",
            settings = new { integration_notifications = new { outgoing_integrations = new { failure_limit = 0, failure_interval = "1h" } } },
        });
        Assert.Equal(HttpStatusCode.NoContent, (await ApiScenario.SendAsync(deployment.Api, HttpMethod.Delete, $"{lostUser.Path}/users/leaves")).Status);
        var cancelled = (await switchedOff.NotificationsAsync())[0]!;
        Assert.Equal("cancelled", (string)cancelled["status"]!);

        // The inbox is back; the other alert's retry (30 s after its first attempt) goes to the user who stayed only.
        await deployment.StartMailDevAsync();
        var mails = await deployment.Inbox.WaitForAsync(lostUser.Domain, 1, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal([$"stays@{lostUser.Domain}"], (await deployment.Inbox.MessagesToAsync(lostUser.Domain)).SelectMany(m => m.To));
        Assert.Empty(await deployment.Inbox.MessagesToAsync(switchedOff.Domain));
        var (_, detail) = await ApiScenario.SendAsync(deployment.Api, HttpMethod.Get, $"{lostUser.Path}/notifications/{(string)(await lostUser.NotificationsAsync())[0]!["id"]!}");
        var leaves = detail!["recipients"]!.AsArray().Single(r => (string)r!["address"]! == $"leaves@{lostUser.Domain}")!;
        Assert.Equal("dropped", (string)leaves["status"]!);
        Assert.Single(mails);
    }

    [Fact]
    public async Task Two_silos_share_one_relay_limit()
    {
        await using var deployment = new LocalDeployment(settings: Paced(3, 6));
        await deployment.StartAllAsync();
        await deployment.StartSiloAsync();
        var client = await deployment.ClientAsync();
        var management = client.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, "two silos are active");

        // Eight organizations' outboxes land on either silo; each sends two messages.
        var orgs = new List<ApiScenario>();
        for (var i = 0; i < 8; i++) orgs.Add((await AlertWithRecipientsAsync(deployment.Api, 2)).Org);
        var silos = new HashSet<int>();
        foreach (var org in orgs)
        {
            if (await management.GetActivationAddress(client.GetGrain<Grains.Notify.IOutboxGrain>(org.OrgId)) is { } address) silos.Add(address.Endpoint.Port);
        }
        foreach (var org in orgs) await deployment.Inbox.WaitForAsync(org.Domain, 2, TimeSpan.FromSeconds(120));

        var times = new List<DateTimeOffset>();
        foreach (var org in orgs) times.AddRange(await deployment.Inbox.ReceivedTimesAsync(org.Domain));
        times.Sort();
        Assert.Equal(16, times.Count);
        for (var i = 3; i < times.Count; i++)
        {
            // Never a fourth message within one 6-second window. The inbox dates a message by its Date header, to the
            // second, so a gap may read up to a second short.
            Assert.True(times[i] - times[i - 3] >= TimeSpan.FromSeconds(5), $"messages {i - 3} and {i} are dated {(times[i] - times[i - 3]).TotalMilliseconds} ms apart");
        }
        Assert.Equal(2, silos.Count);
    }
}
