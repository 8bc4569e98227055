using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// SPEC §8 fairness end to end, on the real silo, relay limit and SMTP server: while one organization's 80-recipient alert
/// drains at 40 messages per 8 s, another organization's one-recipient alert goes out within a few turns, and the large
/// one still reaches each recipient once. Order is read from the inbox (maildev lists messages as they arrived).
/// </summary>
public sealed class RelayFairnessEndToEndTests
{
    [Fact]
    public async Task A_large_alert_does_not_hold_back_another_organizations_alert()
    {
        await using var deployment = await new LocalDeployment(settings: new Dictionary<string, string>(TestSettings.QuickReminders)
        {
            ["Alerts__Email__MaxMessagesPerWindow"] = "40",
            ["Alerts__Email__RateWindow"] = "00:00:08",
        }).StartAllAsync();
        var large = await ApiScenario.CreateAsync(deployment.Api, limit: 1);
        var users = Enumerable.Range(1, 80).Select(i => $"user{i:D2}").ToList();
        await Parallel.ForEachAsync(users, async (user, _) => await large.AddUserAsync(user, "outgoing_integration__error"));
        await large.AddIntegrationAsync("crm", "outbound_webhook");
        var small = await ApiScenario.CreateAsync(deployment.Api, limit: 1);
        await small.AddUserAsync("oncall", "outgoing_integration__error");
        await small.AddIntegrationAsync("crm", "outbound_webhook");

        await large.PostErrorsAsync("crm", 1);
        await deployment.Inbox.WaitForAsync(large.Domain, 5, TimeSpan.FromSeconds(60));
        var sentBefore = (await deployment.Inbox.MessagesToAsync(large.Domain)).Count;
        await small.PostErrorsAsync("crm", 1);
        await deployment.Inbox.WaitForAsync(small.Domain, 1, TimeSpan.FromSeconds(60));
        await deployment.Inbox.WaitForAsync(large.Domain, users.Count, TimeSpan.FromSeconds(90));
        await Eventually.TrueAsync(async () => (string)(await large.NotificationsAsync())[0]!["status"]! == "sent", "the large alert is recorded as sent", TimeSpan.FromSeconds(30));

        // The inbox in arrival order: how many of the large alert's messages came between the small one's decision and it.
        var arrived = await deployment.Inbox.MessagesToAsync(large.Domain);
        var all = (await deployment.Inbox.MessagesToAsync("example.test")).ToList();
        var smallAt = all.FindIndex(m => m.To.Any(t => t.EndsWith("@" + small.Domain, StringComparison.OrdinalIgnoreCase)));
        var largeBeforeSmall = all.Take(smallAt).Count(m => m.To.Any(t => t.EndsWith("@" + large.Domain, StringComparison.OrdinalIgnoreCase)));
        var between = largeBeforeSmall - sentBefore;
        // First come, first served, it would have waited for the large alert's whole window (40 messages).
        Assert.True(between <= 20, $"{between} of the large alert's messages arrived between the small alert's decision and it");
        Assert.Equal(users.Select(u => $"{u}@{large.Domain}").Order(StringComparer.Ordinal), arrived.SelectMany(m => m.To).Order(StringComparer.Ordinal));
    }
}
