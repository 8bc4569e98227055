using Alerts.Contracts;
using Alerts.Grains.Webhooks;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// Issue 21, item 4, on the test cluster with Alerts' fake clock: past the default budget (60 an hour) an
/// organization's platform events are not e-mailed one by one; the hour's reminder sends one summary of them.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class PlatformEmailBudgetGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_sixty_first_event_of_an_hour_waits_for_the_summary_that_the_hours_reminder_sends_once()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var watcher = await org.AddUserAsync("watcher", TenantCreated.Type, IntegrationCreated.Type);
        var registry = fixture.Grains.GetWebhookRegistry(org.OrgId);
        var results = new List<PublishResult>();
        for (var i = 0; i < 63; i++)
        {
            PlatformEvent published = i % 3 == 2 ? new IntegrationCreated(7, "CRM push") : new TenantCreated(100 + i, $"Tenant {i}", 7, "CRM push");
            results.Add((await registry.PublishAsync(published))!);
        }
        Assert.Equal(60, results.Count(r => !r.EmailHeldForSummary && r.EmailRecipients == 1));
        Assert.Equal(3, results.Count(r => r.EmailHeldForSummary && r.EmailRecipients == 0));
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(watcher).Count == 60, "the first sixty were e-mailed");
        Assert.NotNull(await fixture.ReminderAsync(registry, "platform-email-summary"));

        // The hour ends; its reminder sends the summary (and again, nothing more).
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
        var summary = fixture.Grains.GetGrain<IPlatformEmailSummary>(org.OrgId);
        await summary.SendDueSummaryAsync();
        await summary.SendDueSummaryAsync();
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(watcher).Count == 61, "the summary was e-mailed");
        var mail = ClusterFixture.Emails.SentTo(watcher).Single(m => m.Content.Subject.Contains("more platform events", StringComparison.Ordinal));
        Assert.StartsWith("3 more platform events in ", mail.Content.Subject, StringComparison.Ordinal);
        Assert.Contains("Tenant created", mail.Content.Text, StringComparison.Ordinal);
        Assert.Contains("Integration created", mail.Content.Text, StringComparison.Ordinal);
        Assert.Null(await fixture.ReminderAsync(registry, "platform-email-summary"));

        // A new hour has a new budget.
        Assert.False((await registry.PublishAsync(new TenantCreated(1, "Tenant", 7, "CRM push")))!.EmailHeldForSummary);
    }
}
