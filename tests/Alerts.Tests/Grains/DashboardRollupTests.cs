using Alerts.Contracts;
using Alerts.Grains;
using Alerts.Grains.Dashboard;
using Alerts.Grains.Organization;
using Alerts.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Alerts.Tests.Grains;

/// <summary>
/// Issue 21, item 3: the dashboard's numbers come from the organization's roll-up, one call whatever the number of
/// integrations — no integration grain is asked (or even activated) to draw them — and an organization from before
/// the roll-up builds it from its integrations once.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class DashboardRollupTests(ClusterFixture fixture)
{
    private static readonly IntegrationType[] Kinds = [IntegrationType.OutboundWebhook, IntegrationType.Prebuilt, IntegrationType.CustomEvent];

    /// <summary>An organization with 30 more integrations (10 of each kind), each with a 500, a 404 and a success today.</summary>
    private async Task<OrgScenario> BusyOrganizationAsync()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        for (var i = 0; i < 30; i++)
        {
            var id = $"flow-{i}";
            await fixture.Grains.GetIntegration(org.OrgId, id).PutAsync(new IntegrationProfile($"Flow {i}", Kinds[i % 3]));
            await org.RecordAsync(id,
                new Attempt($"{id}-a", AttemptOutcome.Error, null, 500, "boom"),
                new Attempt($"{id}-b", AttemptOutcome.Error, null, 404, "gone"),
                new Attempt($"{id}-c", AttemptOutcome.Success, null));
        }
        return org;
    }

    private async Task<int> IntegrationActivationsAsync(string orgId)
    {
        var statistics = await fixture.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.Count(s => s.GrainType.Contains("IntegrationGrain", StringComparison.Ordinal) && s.GrainId.ToString().Contains(orgId, StringComparison.Ordinal));
    }

    private async Task AssertNumbersAsync(string orgId)
    {
        var dashboard = fixture.Grains.GetGrain<IDashboardGrain>(orgId);
        var overview = (await dashboard.OverviewAsync(DashboardPeriod.OneDay))!;
        foreach (var kind in Kinds) Assert.Equal(20, overview.Types.Single(t => t.Type == kind).Failures);
        Assert.Equal(0, overview.Types.Single(t => t.Type == IntegrationType.InboundWebhook).Failures);
        var change = (await dashboard.ChangeAsync(DashboardPeriod.SevenDays))!;
        Assert.All(Kinds, kind => Assert.Equal((20L, 10L, 0L), (change.Types.Single(t => t.Type == kind).Failed, change.Types.Single(t => t.Type == kind).Succeeded, change.Types.Single(t => t.Type == kind).PreviousFailed)));
        var codes = (await dashboard.ErrorsByCodeAsync(DashboardPeriod.ThirtyDays))!.Codes;
        Assert.Equal([(404, 30L), (500, 30L)], codes.Select(c => (c.Code ?? 0, c.Failures)));
        var trends = (await dashboard.TrendsAsync(null))!;
        Assert.All(Kinds, kind => Assert.Equal(20, trends.Series.Single(s => s.Type == kind).Failures[^1]));
    }

    [Fact]
    public async Task The_numbers_are_one_call_to_the_organization_whatever_the_number_of_integrations()
    {
        var org = await BusyOrganizationAsync();
        // Twice: the organization's last checkpoint, as it deactivates, asks its integrations to write.
        await fixture.DeactivateIdleAsync();
        await fixture.DeactivateIdleAsync();
        Assert.Equal(0, await IntegrationActivationsAsync(org.OrgId));

        await AssertNumbersAsync(org.OrgId);
        // Drawing them activated none of the 32 integrations (asking each, as before the roll-up, would have).
        Assert.Equal(0, await IntegrationActivationsAsync(org.OrgId));

        // And they include reports acknowledged a moment ago (counted as the organization applies them, not projected later).
        await org.RecordAsync("flow-0", new Attempt("flow-0-d", AttemptOutcome.Error, null, 500, "again"));
        var overview = (await fixture.Grains.GetGrain<IDashboardGrain>(org.OrgId).OverviewAsync(DashboardPeriod.OneDay))!;
        Assert.Equal(21, overview.Types.Single(t => t.Type == IntegrationType.OutboundWebhook).Failures);
    }

    [Fact]
    public async Task An_organization_from_before_the_rollup_builds_it_once_from_its_integrations()
    {
        var org = await BusyOrganizationAsync();
        await fixture.DeactivateIdleAsync();

        // Its snapshot as an older version wrote it: no roll-up.
        var storage = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        var grainId = fixture.Grains.GetOrganization(org.OrgId).GetGrainId();
        var stored = new GrainState<OrganizationState>();
        await storage.ReadStateAsync("organization", grainId, stored);
        Assert.NotNull(stored.State?.Activity);
        stored.State!.Activity = null;
        await storage.WriteStateAsync("organization", grainId, stored);

        await AssertNumbersAsync(org.OrgId);
        Assert.NotNull(await fixture.Grains.GetGrain<IOrganizationActivity>(org.OrgId).ActivityByTypeAsync());

        // Built once: a later activation reads it from the snapshot and asks no integration.
        await fixture.DeactivateIdleAsync();
        await fixture.DeactivateIdleAsync();
        await AssertNumbersAsync(org.OrgId);
        Assert.Equal(0, await IntegrationActivationsAsync(org.OrgId));
    }

    [Fact]
    public async Task The_failures_table_asks_each_integration_once_and_then_follows_their_changes()
    {
        var org = await BusyOrganizationAsync();
        var dashboard = fixture.Grains.GetGrain<IDashboardGrain>(org.OrgId);
        var first = (await dashboard.FailuresAsync(new FailureQuery(Limit: 200)))!;
        Assert.Equal(60, first.Total);
        var asked = GrainCalls.Of(nameof(IIntegrationErrors.ErrorSnapshotAsync), org.OrgId);
        Assert.Equal(32, asked);

        // A repeat (folds into its error), a new error, and a resolution by hand.
        await org.RecordAsync("flow-0", new Attempt("flow-0-e", AttemptOutcome.Error, null, 500, "boom again"));
        await org.RecordAsync("flow-1", new Attempt("flow-1-e", AttemptOutcome.Error, null, 503, "unavailable"));
        await org.Org.PutUserAsync("boss", new UserProfile($"boss@{org.Domain}", "Boss", UserRole.Admin, []));
        var resolving = first.Items.Single(row => row.IntegrationId == "flow-2" && row.StatusCode == 404).Id;
        Assert.Equal(ResolveStatus.Resolved, (await org.Org.ResolveErrorAsync(resolving, "boss")).Status);

        var second = (await dashboard.FailuresAsync(new FailureQuery(Limit: 200)))!;
        Assert.Equal(61, second.Total);
        Assert.Equal(2, second.Items.Single(row => row.IntegrationId == "flow-0" && row.StatusCode == 500).Total);
        Assert.Contains(second.Items, row => row.IntegrationId == "flow-1" && row.StatusCode == 503 && row.Status == ErrorStatus.Open);
        Assert.Equal(ErrorStatus.Resolved, second.Items.Single(row => row.Id == resolving).Status);
        // The integrations were not asked again: their changes came with the projection's rounds.
        Assert.Equal(asked, GrainCalls.Of(nameof(IIntegrationErrors.ErrorSnapshotAsync), org.OrgId));

        // And the table is what the integrations themselves hold.
        var held = new List<(string, long, ErrorStatus)>();
        foreach (var id in Enumerable.Range(0, 30).Select(i => $"flow-{i}"))
        {
            var errors = await fixture.Grains.GetGrain<IIntegrationErrors>(GrainKeys.Integration(org.OrgId, id)).ErrorsAsync(ClusterFixture.Clock.GetUtcNow());
            held.AddRange(errors.Select(error => (error.Id, error.Occurrences, error.Status)));
        }
        Assert.Equal(held.Order(), second.Items.Select(row => (row.Id, row.Total, row.Status)).Order());
    }
}
