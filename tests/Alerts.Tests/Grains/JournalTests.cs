using Alerts.Contracts;
using Alerts.Grains.Intake;
using Alerts.Grains.Stores;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>Reports are acknowledged on the journal: group commit, replay after the snapshot, de-duplication by time.</summary>
[Collection(ClusterTests.Name)]
public sealed class JournalTests(ClusterFixture fixture)
{
    private static readonly DirectionSettings FiveInOneHour = new(5, FailureInterval.OneHour);
    private static DateTimeOffset Now => ClusterFixture.Clock.GetUtcNow();

    private static string Stream(OrgScenario org) => $"org/{org.OrgId}";

    [Fact]
    public async Task Commits_written_after_the_snapshot_are_replayed_once_when_the_organization_comes_back()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: FiveInOneHour);
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.ErrorsAsync(OrgScenario.Outgoing, 1);
        await fixture.DeactivateIdleAsync();

        // What an activation that died before its next snapshot left behind: a commit of three errors after it.
        var last = (await ClusterFixture.Journal.ReadAfterAsync(Stream(org), 0)).LastSequence;
        var orphaned = Enumerable.Range(0, 3)
            .Select(i => new Report(OrgScenario.Outgoing, new Attempt($"orphan-{i}", AttemptOutcome.Error, Now, 500)))
            .ToList();
        var (payload, keys) = ReportCodec.Encode(orphaned);
        await ClusterFixture.Journal.AppendAsync(Stream(org), [new JournalCommit(last + 1, Now, payload, keys)]);

        // Replayed: counted (4 so far) and remembered (a retry of the orphaned batch is a duplicate).
        var retry = await org.RecordAsync(OrgScenario.Outgoing, orphaned.Select(r => r.Attempt).ToArray());
        Assert.Equal((0, 3), (retry.Accepted, retry.Duplicates));
        Assert.Empty(await org.NotificationsAsync());
        await org.ErrorsAsync(OrgScenario.Outgoing, 1);
        Assert.Equal(5, Assert.Single(await org.NotificationsAsync()).ErrorCount);
        Assert.Equal(5, (await org.Grains.GetIntegration(org.OrgId, OrgScenario.Outgoing).GetAsync())!.Errors);
    }

    [Fact]
    public async Task An_event_id_is_a_duplicate_for_the_window_even_across_reactivation_and_new_after_it()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var attempt = new Attempt("retried", AttemptOutcome.Error);
        Assert.Equal(1, (await org.RecordAsync(OrgScenario.Outgoing, attempt)).Accepted);

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(59));
        await fixture.DeactivateIdleAsync();
        Assert.Equal(1, (await org.RecordAsync(OrgScenario.Outgoing, attempt)).Duplicates);
        // The same id for another integration is another event.
        Assert.Equal(1, (await org.RecordAsync(OrgScenario.Incoming, attempt)).Accepted);

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await org.RecordAsync(OrgScenario.Outgoing, attempt)).Accepted);
    }

    [Fact]
    public async Task Concurrent_reports_share_commits_and_each_caller_gets_its_own_result()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var before = (await ClusterFixture.Journal.ReadAfterAsync(Stream(org), 0)).Commits.Count;
        ClusterFixture.Journal.Latency = TimeSpan.FromMilliseconds(20);
        RecordResult[] results;
        try
        {
            results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
                org.RecordAsync(OrgScenario.Outgoing, new Attempt($"c-{i % 150}", AttemptOutcome.Error))));
        }
        finally
        {
            ClusterFixture.Journal.Latency = TimeSpan.Zero;
        }

        Assert.Equal(150, results.Sum(r => r.Accepted));
        Assert.Equal(50, results.Sum(r => r.Duplicates));
        Assert.All(results, r => Assert.Equal(1, r.Accepted + r.Duplicates));
        var commits = (await ClusterFixture.Journal.ReadAfterAsync(Stream(org), 0)).Commits.Count - before;
        Assert.InRange(commits, 1, 100);
    }

    [Fact]
    public async Task The_coalescer_merges_callers_but_refuses_only_the_batch_that_is_wrong()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var coalescer = new ReportCoalescer(fixture.Grains);
        var good = Enumerable.Range(0, 100).Select(i =>
            coalescer.ReportAsync(org.OrgId, [new Report(OrgScenario.Outgoing, new Attempt($"k-{i % 80}", AttemptOutcome.Error))]));
        var unknown = coalescer.ReportAsync(org.OrgId, [
            new Report(OrgScenario.Outgoing, new Attempt("fine", AttemptOutcome.Error)),
            new Report("nobody", new Attempt("lost", AttemptOutcome.Error))]);
        var invalid = coalescer.ReportAsync(org.OrgId, [new Report(OrgScenario.Outgoing, new Attempt("", AttemptOutcome.Error))]);
        var missing = coalescer.ReportAsync("no-such-org", [new Report(OrgScenario.Outgoing, new Attempt("x", AttemptOutcome.Error))]);

        var results = await Task.WhenAll(good);
        Assert.Equal((80, 20), (results.Sum(r => r.Accepted), results.Sum(r => r.Duplicates)));
        Assert.Equal((RecordStatus.UnknownIntegration, 1, "integration_id"), ((await unknown).Status, (await unknown).Index, (await unknown).Field));
        Assert.Equal((RecordStatus.Invalid, 0, "event_id"), ((await invalid).Status, (await invalid).Index, (await invalid).Field));
        Assert.Equal(RecordStatus.UnknownOrganization, (await missing).Status);
        Assert.Equal(80, (await org.Grains.GetIntegration(org.OrgId, OrgScenario.Outgoing).GetAsync())!.Errors);
    }

    [Fact]
    public async Task Enum_values_an_orleans_client_could_send_out_of_range_are_refused()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var bad = OrgScenario.Profile(org.OrgId, new DirectionSettings(5, (FailureInterval)42), null);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => org.Org.PutAsync(bad));
        Assert.StartsWith("settings.integration_notifications.outgoing_integrations.failure_interval must be one of", refused.Message);
        var result = await org.RecordAsync(OrgScenario.Outgoing, new Attempt("e", (AttemptOutcome)7));
        Assert.Equal((RecordStatus.Invalid, "outcome"), (result.Status, result.Field));
    }
}
