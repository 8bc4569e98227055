using System.Globalization;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// SPEC §8 "stopping any process gracefully never sends a notification twice", through the script users run: ./run.sh
/// stopped with SIGTERM in the middle of a paced alert to 45 people and started again on the same data; an SMTP server
/// outside its stack counts every message.
/// </summary>
public sealed class RunScriptStopTests
{
    [Fact]
    public async Task Stopping_run_sh_mid_send_and_starting_it_again_reaches_each_recipient_exactly_once()
    {
        var data = Path.Combine(Path.GetTempPath(), "alerts-run-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var relay = await new StandaloneInbox().StartAsync();
            var settings = new Dictionary<string, string>(TestSettings.QuickReminders)
            {
                ["Alerts__Email__SmtpPort"] = relay.SmtpPort.ToString(CultureInfo.InvariantCulture),
                ["Alerts__Email__MaxMessagesPerWindow"] = "5",
                ["Alerts__Email__RateWindow"] = "00:00:02",
            };
            await using var script = new RunScript(data, settings);
            await script.StartAsync();

            var org = await ApiScenario.CreateAsync(script.Api, limit: 1);
            var users = Enumerable.Range(1, 45).Select(i => $"user{i:D2}").ToList();
            await Parallel.ForEachAsync(users, async (user, _) => await org.AddUserAsync(user, "outgoing_integration__error"));
            await org.AddIntegrationAsync("crm", "outbound_webhook");
            await org.PostErrorsAsync("crm", 1);

            await relay.Inbox.WaitForAsync(org.Domain, 10, TimeSpan.FromSeconds(90));
            var (code, output) = await script.StopAsync(TimeSpan.FromMinutes(3));
            Assert.True(code == 0, $"run.sh exited with {code}\n{output}");
            Assert.Contains("Stopped.", output);
            Assert.DoesNotContain("did not stop within", output);
            var beforeRestart = (await relay.Inbox.MessagesToAsync(org.Domain)).Count;
            Assert.InRange(beforeRestart, 10, users.Count - 1);

            await script.StartAsync();
            var expected = users.Select(u => $"{u}@{org.Domain}").Order(StringComparer.Ordinal).ToList();
            await relay.Inbox.WaitForAsync(org.Domain, users.Count, TimeSpan.FromSeconds(120));
            // The pass that resumed has ended (sent), so nothing else can still be on its way.
            await Eventually.TrueAsync(async () => (string)(await org.NotificationsAsync())[0]!["status"]! == "sent", "the notification is sent", TimeSpan.FromSeconds(60));
            var received = (await relay.Inbox.MessagesToAsync(org.Domain)).SelectMany(m => m.To).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, received);
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }
}
