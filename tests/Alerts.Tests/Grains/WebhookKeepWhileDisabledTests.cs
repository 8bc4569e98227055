using Alerts.Contracts;
using Alerts.Grains.Webhooks;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// Issue 22, item 4: a subscription that keeps new events while disabled holds them (bounded by the queue, oldest dropped
/// first and counted) and delivers them, oldest first and each once, when it is enabled again.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class WebhookKeepWhileDisabledTests(ClusterFixture fixture)
{
    private static ScriptedWebhookReceiver Receiver => ClusterFixture.Webhooks;

    private async Task<(OrgScenario Org, string Host, IWebhookSubscriptionGrain Webhook, IWebhookRegistryGrain Registry)> DisabledAsync(bool keep)
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        await org.AddUserAsync("owner");
        var host = $"{org.OrgId}.keeper.example";
        var registry = fixture.Grains.GetWebhookRegistry(org.OrgId);
        var created = await registry.CreateAsync(new WebhookSpec($"https://{host}/hooks", ["run_failed"], "alerts-tests", "owner", KeepWhileDisabled: keep));
        var webhook = fixture.Grains.GetWebhook(org.OrgId, created!.Webhook.Id);
        Assert.Equal(keep, (await webhook.GetAsync())!.KeepWhileDisabled);

        Receiver.Answer(host, 500);
        await registry.PublishAsync(PlatformEvents.RunFailed());
        for (var i = 1; i <= WebhookBreaker.DisableAt; i++)
        {
            if (i > 1) ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
            var made = i;
            await Eventually.TrueAsync(async () => (await webhook.DeliveriesAsync(200, null))!.Items.Count >= made, $"attempt {i} was made");
        }
        Assert.False((await webhook.GetAsync())!.Enabled);
        return (org, host, webhook, registry);
    }

    [Fact]
    public async Task Held_events_wait_out_the_outage_and_go_oldest_first_once_enabled_and_overflow_drops_the_oldest_with_a_count()
    {
        var (org, host, webhook, registry) = await DisabledAsync(keep: true);
        var attemptsBefore = Receiver.ReceivedBy(host).Count;

        // 1,003 events while disabled: each is taken; the queue keeps 1,000, dropping the oldest (the failed message
        // still on its schedule, then the first three held).
        var published = new List<string>();
        for (var i = 0; i < 1_003; i++)
        {
            var result = await registry.PublishAsync(PlatformEvents.RunFailed());
            Assert.Single(result!.Webhooks);
            published.Add(result.MessageId);
        }
        var view = (await webhook.GetAsync())!;
        Assert.Equal((1_000, 0, 4), (view.Held, view.PendingDeliveries, view.DroppedWhileDisabled));

        // Time passes, the pause after the last failure ends: still nothing is attempted while disabled.
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(300);
        Assert.Equal(attemptsBefore, Receiver.ReceivedBy(host).Count);

        Receiver.Answer(host, 200);
        var enabled = (await webhook.EnableAsync())!;
        Assert.Equal((0, 4), (enabled.Held, enabled.DroppedWhileDisabled)); // the count of the outage stays until the next one
        Assert.InRange(enabled.PendingDeliveries, 990, 1_000); // due now: the first may have gone already
        await Eventually.TrueAsync(async () => (await webhook.GetAsync())!.PendingDeliveries == 0, "the held events were delivered", TimeSpan.FromSeconds(30));

        var delivered = Receiver.ReceivedBy(host).Skip(attemptsBefore).Select(r => r.MessageId).ToList();
        Assert.Equal(published.Skip(3), delivered); // in publish order, each once; the three oldest were dropped
        var log = new List<DeliveryAttempt>();
        string? cursor = null;
        do
        {
            var page = (await webhook.DeliveriesAsync(200, cursor))!;
            log.AddRange(page.Items);
            cursor = page.Next;
        } while (cursor is not null);
        Assert.Equal(4, log.Count(a => a.Outcome == DeliveryOutcome.Dropped));
        Assert.All(published.Take(3), id => Assert.Contains(log, a => a.MessageId == id && a.Outcome == DeliveryOutcome.Dropped));

        var largest = SizeRecordingGrainStorage.LargestFor($"{org.OrgId}/{(await webhook.GetAsync())!.Id}");
        Assert.InRange(largest["webhook"], 1, 300 * 1024);
    }

    [Fact]
    public async Task Without_the_option_a_disabled_subscription_takes_no_new_events_and_the_option_can_be_turned_on_later()
    {
        var (_, host, webhook, registry) = await DisabledAsync(keep: false);
        Assert.Empty((await registry.PublishAsync(PlatformEvents.RunFailed()))!.Webhooks); // SPEC §6.4
        Assert.Equal(0, (await webhook.GetAsync())!.Held);

        var kept = (await webhook.UpdateAsync(new WebhookPatch(KeepWhileDisabled: true)))!;
        Assert.True(kept.KeepWhileDisabled);
        Assert.False(kept.Enabled);
        var taken = (await registry.PublishAsync(PlatformEvents.RunFailed()))!;
        Assert.Single(taken.Webhooks);
        Assert.Equal(1, (await webhook.GetAsync())!.Held);

        Receiver.Answer(host, 200);
        await webhook.EnableAsync();
        await Eventually.TrueAsync(() => Receiver.ReceivedBy(host).Any(r => r.MessageId == taken.MessageId), "the held event went on enable");
    }
}
