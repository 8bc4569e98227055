using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.Contracts;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>Stopping and starting everything against the same Azurite data loses nothing (SPEC §8).</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Settings_counts_cooldowns_users_and_pending_emails_survive_a_restart_of_the_whole_stack()
    {
        var data = Directory.CreateTempSubdirectory("alerts-restart-").FullName;
        try
        {
            string orgPath, domain, lastIncomingBefore;
            await using (var before = new LocalDeployment(data, TestSettings.QuickReminders))
            {
                await before.StartAllAsync();
                var org = await ApiScenario.CreateAsync(before.Api, limit: 5);
                (orgPath, domain) = (org.Path, org.Domain);
                await org.PutOkAsync(org.Path, new
                {
                    name = $"Org {org.OrgId}", environment = "production",
                    settings = new { integration_notifications = new
                    {
                        outgoing_integrations = new { failure_limit = 5, failure_interval = "1h" },
                        incoming_webhooks = new { failure_limit = 2, failure_interval = "1h" },
                    } },
                });
                await org.AddUserAsync("ops", "outgoing_integration__error", "incoming_webhook__error");
                await org.AddIntegrationAsync("crm", "outbound_webhook");
                await org.AddIntegrationAsync("hook", "inbound_webhook");

                await org.PostErrorsAsync("crm", 3, "before");
                await before.StopMailDevAsync();
                await org.PostErrorsAsync("hook", 2, "before");
                var pending = Assert.Single(await org.NotificationsAsync());
                Assert.Equal("pending", (string)pending!["status"]!);

                var view = await before.Api.GetFromJsonAsync<JsonNode>(org.Path);
                lastIncomingBefore = view!["settings"]!["integration_notifications"]!["incoming_webhooks"]!["last_failure_at"]!.ToString();

                await before.StopGatewayAsync();
                foreach (var silo in before.Silos.ToList()) await before.StopSiloAsync(silo, kill: false);
                await before.Storage.StopAsync();
            }

            await using var after = new LocalDeployment(data, TestSettings.QuickReminders);
            await after.StartAllAsync();

            // The e-mail decided before the restart is delivered after it, once.
            var pendingMail = Assert.Single(await after.Inbox.WaitForAsync(domain, 1, TimeSpan.FromSeconds(60)));
            Assert.Equal("Integration error threshold exceeded", pendingMail.Subject);
            Assert.Contains("incoming webhooks", pendingMail.Text);

            var restored = (await after.Api.GetFromJsonAsync<JsonNode>(orgPath))!;
            Assert.Equal(lastIncomingBefore, restored["settings"]!["integration_notifications"]!["incoming_webhooks"]!["last_failure_at"]!.ToString());
            Assert.Equal(5, (int)restored["settings"]!["integration_notifications"]!["outgoing_integrations"]!["failure_limit"]!);
            var user = (await after.Api.GetFromJsonAsync<JsonNode>($"{orgPath}/users/ops"))!;
            Assert.Equal($"ops@{domain}", (string)user["email"]!);

            var scenario = ApiScenarioFor(after, orgPath);
            // The incoming cooldown survived: more errors send nothing.
            await scenario.PostErrorsAsync("hook", 5, "after");
            // The 3 outgoing errors counted before the restart still count: 2 more reach the limit of 5.
            await scenario.PostErrorsAsync("crm", 2, "after");
            var outgoing = await after.Inbox.WaitForAsync(domain, 2, TimeSpan.FromSeconds(30));
            Assert.Contains(outgoing, m => m.Text.Contains("5 errors in outgoing integrations", StringComparison.Ordinal));
            await Task.Delay(1000);
            Assert.Equal(2, (await after.Inbox.MessagesToAsync(domain)).Count);
            Assert.Equal(2, (await scenario.NotificationsAsync()).Count);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_reminder_fires_after_all_silos_restarted_and_delivers_the_pending_email_without_any_call()
    {
        await using var deployment = new LocalDeployment(settings: TestSettings.QuickReminders);
        await deployment.Storage.StartAsync();
        await deployment.StartSiloAsync();
        var client = await deployment.ClientAsync();
        const string orgId = "reminder-restart";
        await client.GetOrganization(orgId).PutAsync(new OrganizationProfile("Reminder Org", "production", true, null,
            new IntegrationNotificationSettings(new DirectionSettings(3, FailureInterval.OneHour), DirectionSettings.Unset)));
        await client.GetOrganization(orgId).PutUserAsync("ops", new UserProfile("ops@reminder.test", "Ops", UserRole.Admin, [NotificationEvents.OutgoingIntegrationError]));
        await client.GetIntegration(orgId, "crm").PutAsync(new IntegrationProfile("CRM", IntegrationType.OutboundWebhook));
        // No inbox is running yet: the e-mail stays pending.
        await client.GetIntegration(orgId, "crm").RecordAsync(Enumerable.Range(0, 3).Select(i => new Attempt($"e{i}", AttemptOutcome.Error)).ToList());
        Assert.Equal(NotificationStatus.Pending, Assert.Single((await client.GetOrganization(orgId).ListNotificationsAsync(new NotificationQuery(5))).Items).Status);

        await deployment.StopSiloAsync(deployment.Silos[0], kill: false);
        await deployment.StartMailDevAsync();
        await deployment.StartSiloAsync();

        // Nothing calls the organization now; only its reminder can wake it.
        var mail = Assert.Single(await deployment.Inbox.WaitForAsync("reminder.test", 1, TimeSpan.FromSeconds(90)));
        Assert.Contains("3 errors in outgoing integrations", mail.Text);
        await Task.Delay(4000);
        Assert.Single(await deployment.Inbox.MessagesToAsync("reminder.test"));
    }

    private static ApiScenario ApiScenarioFor(LocalDeployment deployment, string orgPath) =>
        ApiScenario.Existing(deployment.Api, orgPath.Split('/')[^1]);
}
