using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// Issue 21, item 4, through real HTTP and a real SMTP inbox: an organization e-mails at most its budget of platform
/// events one by one per window; the rest are told in one summary when the window ends, and webhooks still get all.
/// </summary>
[Collection(LimitsStackTests.Name)]
public sealed partial class PlatformEmailBudgetTests(LimitsStackFixture stack)
{
    private static JsonObject TenantCreated(int n) => new()
    {
        ["event_type"] = "tenant_created",
        ["id"] = $"budget-{n}-{Guid.NewGuid():N}",
        ["tenant_id"] = 500 + n,
        ["tenant_name"] = $"Tenant {n}",
        ["integration_id"] = 77,
        ["integration_name"] = "CRM push",
    };

    [GeneratedRegex(@"^(\d+) more platform events? in ")]
    private static partial Regex SummarySubject();

    [Fact]
    public async Task Past_the_budget_events_are_held_and_told_in_one_summary_when_the_window_ends()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddUserAsync("watcher", "tenant_created");
        const int published = 8;
        var held = 0;
        for (var i = 0; i < published; i++)
        {
            var (status, body) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/platform-events", TenantCreated(i).ToJsonString());
            Assert.True(status == HttpStatusCode.Accepted, body?.ToJsonString());
            if ((bool)body!["email_held_for_summary"]!)
            {
                held++;
                Assert.Equal(0, (int)body["email_recipients"]!);
            }
            else Assert.Equal(2, (int)body["email_recipients"]!);
        }
        // Eight events in well under a window: at most the budget of each window they touched went one by one.
        Assert.InRange(held, published - 2 * LimitsStackFixture.PlatformEventEmails, published - LimitsStackFixture.PlatformEventEmails);

        // Each address got the events that were sent, then — when the window ended, with nothing more published — one
        // summary per window that held some, whose counts add up to what was held.
        var inbox = stack.Stack.Inbox;
        var sent = published - held;
        IReadOnlyList<MailDev.Message> mail = [];
        await Eventually.TrueAsync(async () =>
        {
            mail = await inbox.MessagesToAsync(org.Domain);
            // Both kinds are paced as bulk and may arrive in either order: wait for the events sent one by one too.
            return new[] { "owner", "watcher" }.All(name =>
                mail.Where(m => m.To.Contains($"{name}@{org.Domain}"))
                    .Select(m => SummarySubject().Match(m.Subject)).Where(m => m.Success)
                    .Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)) == held
                && mail.Count(m => m.To.Contains($"{name}@{org.Domain}") && m.Subject.Contains("Tenant created", StringComparison.Ordinal)) >= sent);
        }, "the held events were summarized and the others sent", LimitsStackFixture.PlatformEventEmailWindow * 3);

        foreach (var address in new[] { $"owner@{org.Domain}", $"watcher@{org.Domain}" })
        {
            var theirs = mail.Where(m => m.To.Contains(address)).ToList();
            Assert.Equal(sent, theirs.Count(m => m.Subject.Contains("Tenant created", StringComparison.Ordinal)));
            var summaries = theirs.Where(m => SummarySubject().IsMatch(m.Subject)).ToList();
            Assert.True(summaries.Count is >= 1 and <= 2, $"{address}: {string.Join(" | ", theirs.Select(m => m.Subject))}");
            Assert.All(summaries, summary => Assert.Contains("Tenant created", summary.Text, StringComparison.Ordinal));
        }
    }
}
