using Alerts.Contracts;
using Alerts.Grains.Webhooks;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// What a subscription says about its attempts is already in its delivery log: a user who sees it disabled and asks for
/// its health (or its log) finds the attempts that disabled it, however slow the log's table is.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class WebhookLogOrderTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_failure_is_in_the_log_before_the_subscription_counts_it_even_when_the_log_is_slow()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        await org.AddUserAsync("owner");
        var host = $"{org.OrgId}.slow-log.example";
        var registry = fixture.Grains.GetWebhookRegistry(org.OrgId);
        var created = await registry.CreateAsync(new WebhookSpec($"https://{host}/hooks", ["run_failed"], "alerts-tests", "owner"));
        var webhook = fixture.Grains.GetWebhook(org.OrgId, created!.Webhook.Id);
        SlowAttemptLog.Slow[created.Webhook.Id] = TimeSpan.FromMilliseconds(300);
        try
        {
            ClusterFixture.Webhooks.Answer(host, 500);
            await registry.PublishAsync(PlatformEvents.RunFailed());
            var checks = 0;
            for (var i = 1; i <= WebhookBreaker.DisableAt; i++)
            {
                if (i > 1) ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
                var counted = i;
                await Eventually.TrueAsync(async () =>
                {
                    var view = (await webhook.GetAsync())!; // the state first, then the log: the log may only be ahead
                    var logged = (await webhook.DeliveriesAsync(200, null))!.Items.Count;
                    Assert.True(logged >= view.ConsecutiveFailures,
                        $"the subscription counted {view.ConsecutiveFailures} failures while its log had {logged}");
                    checks++;
                    return view.ConsecutiveFailures >= counted;
                }, $"failure {i} was counted");
            }

            var disabled = (await webhook.GetAsync())!;
            Assert.False(disabled.Enabled);
            var log = (await webhook.DeliveriesAsync(200, null))!.Items;
            Assert.Equal(WebhookBreaker.DisableAt, log.Count);
            Assert.All(log, a => Assert.Equal(DeliveryOutcome.Failed, a.Outcome));
            Assert.True(checks > WebhookBreaker.DisableAt, "the state was read while attempts were being logged");
        }
        finally
        {
            SlowAttemptLog.Slow.TryRemove(created.Webhook.Id, out _);
        }
    }
}
