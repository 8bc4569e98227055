using Alerts.Contracts;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// SPEC §8 fairness through the real relay limit grain and delivery worker: a large alert of one organization does not
/// hold back another organization's alert, and still reaches each of its recipients once.
/// </summary>
[Collection(PacedClusterTests.Name)]
public sealed class RelayFairnessTests(PacedClusterFixture fixture)
{
    private static readonly DirectionSettings OneInOneHour = new(1, FailureInterval.OneHour);

    [Fact]
    public async Task Another_organizations_alert_goes_out_within_a_few_turns_while_a_large_one_drains()
    {
        var large = await OrgScenario.CreateAsync(fixture.Grains, outgoing: OneInOneHour);
        const int recipients = 2 * PacedClusterFixture.Limit;
        var addresses = new List<string>();
        for (var i = 0; i < recipients; i++) addresses.Add(await large.AddUserAsync($"user{i:D3}", NotificationEvents.OutgoingIntegrationError));
        var small = await OrgScenario.CreateAsync(fixture.Grains, outgoing: OneInOneHour);
        var oncall = await small.AddUserAsync("oncall", NotificationEvents.OutgoingIntegrationError);

        await large.ErrorsAsync(OrgScenario.Outgoing, 1);
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(large.Domain).Count >= 5, "the large alert is being sent", TimeSpan.FromSeconds(30));
        var sentBefore = ClusterFixture.Emails.SentTo(large.Domain).Count;
        await small.ErrorsAsync(OrgScenario.Outgoing, 1);
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(small.Domain).Count == 1, "the small alert went out", TimeSpan.FromSeconds(30));
        var sentMeanwhile = ClusterFixture.Emails.SentTo(large.Domain).Count - sentBefore;

        // First come, first served, the large alert would have taken the whole window (40) before it; now the small one
        // takes the next turn once it is decided, so only the few messages sent while it was being decided come between.
        Assert.True(sentMeanwhile <= PacedClusterFixture.Limit / 2, $"{sentMeanwhile} of the large alert's messages went before the small one");
        Assert.Equal(oncall, ClusterFixture.Emails.SentTo(small.Domain)[0].To);

        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(large.Domain).Count >= recipients, "the large alert is sent", TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => (await large.NotificationsAsync())[0].Status == NotificationStatus.Sent, "the large alert is recorded as sent", TimeSpan.FromSeconds(30));
        Assert.Equal(addresses.Order(StringComparer.Ordinal), ClusterFixture.Emails.SentTo(large.Domain).Select(m => m.To).Order(StringComparer.Ordinal));
    }
}
