using Alerts.Contracts;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// Issue 7's size bound, on fake time: a tenant with 1,000 integrations and 5,000 users reports errors for a week while
/// its settings and people change and alerts go out; no stored grain state ever passes its documented bound, and none
/// grows with the days.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class BoundedStateTests(ClusterFixture fixture)
{
    private const int Integrations = 1000;
    private const int Users = 5000;
    private const int Subscribed = 100;

    [Fact]
    public async Task A_week_of_errors_over_1000_integrations_and_5000_users_never_grows_a_stored_state_past_its_bound()
    {
        var orgId = "bounded-" + Guid.NewGuid().ToString("N")[..8];
        var domain = $"{orgId}.example.test";
        var org = fixture.Grains.GetOrganization(orgId);
        await org.PutAsync(Profile(orgId, FailureInterval.OneHour));
        await Parallel.ForEachAsync(Enumerable.Range(0, Integrations), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await fixture.Grains.GetIntegration(orgId, $"int-{i}").PutAsync(new IntegrationProfile($"Integration {i}",
                i % 2 == 0 ? IntegrationType.OutboundWebhook : IntegrationType.InboundWebhook)));
        await Parallel.ForEachAsync(Enumerable.Range(0, Users), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await org.PutUserAsync($"user-{i}", User(domain, i, i < Subscribed)));
        Assert.Equal(Users, (await org.ListUsersAsync(ListQuery.All)).Items.Count);

        var random = new Random(7);
        var message = new string('x', 180);

        for (var hour = 0; hour < 7 * 24; hour++)
        {
            var now = ClusterFixture.Clock.GetUtcNow();
            var batch = Enumerable.Range(0, 1000).Select(i => new Report($"int-{random.Next(Integrations)}", new Attempt(
                $"h{hour}-e{i}", i % 10 == 0 ? AttemptOutcome.Success : AttemptOutcome.Error, now.AddSeconds(-random.Next(3600)),
                500 + i % 5, $"{message} {i}", $"flow-{i % 7}", "svc", $"trace-{i % 50}"))).ToList();
            var result = Assert.Single(await org.ReportAsync([batch]));
            Assert.Equal((RecordStatus.Recorded, 1000), (result.Status, result.Accepted));

            if (hour % 24 == 12)
            {
                // A settings change and some turnover every day.
                await org.PutAsync(Profile(orgId, hour / 24 % 2 == 0 ? FailureInterval.ThreeHours : FailureInterval.OneHour));
                for (var u = 0; u < 10; u++)
                {
                    var id = Subscribed + (hour / 24 * 10 + u) % (Users - Subscribed);
                    await org.DeleteUserAsync($"user-{id}");
                    await org.PutUserAsync($"user-{id}", User(domain, id, subscribed: false));
                }
            }
            ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
            // Halfway, everything is checkpointed and reactivated, as after a restart.
            if (hour == 3 * 24 + 12) await fixture.DeactivateIdleAsync();
        }
        // Deactivation checkpoints: the integrations write what they were projected, the organization its snapshot. (Coming
        // back, the organization decides on errors that piled up since its last alert, as its cooldown reminder would.)
        await fixture.DeactivateIdleAsync();
        var totals = 0L;
        for (var i = 0; i < Integrations; i += 97) totals += (await fixture.Grains.GetIntegration(orgId, $"int-{i}").GetAsync())!.Errors;
        Assert.True(totals > 0);
        // Settled: nothing pending, and the log's sent notifications and the messages agree (a decision made on the
        // reactivation may still be enqueued and sent after the first look finds nothing pending).
        var sent = new List<NotificationView>();
        await Eventually.TrueAsync(async () =>
            (await org.ListNotificationsAsync(new NotificationQuery(10, Status: NotificationStatus.Pending))).Items.Count == 0
            && (sent = await AllAsync(org, NotificationStatus.Sent)).Count * Subscribed == ClusterFixture.Emails.SentTo(domain).Count,
            "every alert was delivered, each to every subscriber once", TimeSpan.FromSeconds(60));

        // Alerts kept working all week, to the subscribed users only.
        Assert.InRange(sent.Count, 7 * 24 / 3, 2 * 7 * 24);
        Assert.All(sent, n => Assert.Equal(Subscribed, n.RecipientCount));
        var statuses = (await AllAsync(org, null)).GroupBy(n => n.Status).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(Subscribed * sent.Count == ClusterFixture.Emails.SentTo(domain).Count,
            $"{ClusterFixture.Emails.SentTo(domain).Count} messages for {sent.Count} sent notifications; statuses {string.Join(", ", statuses)}");

        // Every state under its documented bound (docs/architecture.md), and the Azure adapter's 960 KiB, all week long.
        var largest = SizeRecordingGrainStorage.LargestFor(orgId);
        Assert.InRange(largest["organization"], 1, 190 * 1024);
        Assert.InRange(largest["outbox"], 1, 220 * 1024);
        Assert.InRange(largest["integration"], 1, 260 * 1024);
        Assert.InRange(ClusterFixture.Journal.LargestPayload(Alerts.Grains.Organization.OrganizationGrain.JournalStream(orgId)), 1, 2 * 1024 * 1024);
    }

    private static async Task<List<NotificationView>> AllAsync(IOrganizationGrain org, NotificationStatus? status)
    {
        var all = new List<NotificationView>();
        string? cursor = null;
        do
        {
            var page = await org.ListNotificationsAsync(new NotificationQuery(NotificationQuery.MaxLimit, cursor, Status: status));
            all.AddRange(page.Items);
            cursor = page.Next;
        } while (cursor is not null);
        return all;
    }

    private static OrganizationProfile Profile(string orgId, FailureInterval outgoing) => new(
        $"Org {orgId}", "production", true, null,
        new IntegrationNotificationSettings(new DirectionSettings(300, outgoing), new DirectionSettings(200, FailureInterval.FifteenMinutes)));

    private static UserProfile User(string domain, int i, bool subscribed) => new(
        $"user-{i}@{domain}", $"User {i}", i % 3 == 0 ? UserRole.Admin : UserRole.Monitor,
        subscribed ? [NotificationEvents.OutgoingIntegrationError, NotificationEvents.IncomingWebhookError] : ["run_failed"]);
}
