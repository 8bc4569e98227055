using Alerts.Contracts;
using Alerts.Grains.Organization;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Grains.Dashboard;

/// <summary>
/// The dashboard of one organization (key: the org id), stateless. Its numbers — overview, change, codes, trends — are
/// sums over the organization's daily counts per type (<see cref="ActivityRollup"/>), one call whatever the number of
/// integrations, and include every report acknowledged so far. The failures table is the organization's index of
/// tracked errors (<see cref="FailureIndex"/>), one call too; a failure's detail asks the one integration it belongs
/// to. Only an organization that has not built its roll-up yet has its numbers summed from every integration. No raw
/// error is read per request.
/// </summary>
[StatelessWorker]
public sealed class DashboardGrain([FromKeyedServices(AlertsClock.Key)] TimeProvider clock) : Grain, IDashboardGrain
{
    private string OrgId => this.GetPrimaryKeyString();

    private async Task<IReadOnlyList<IntegrationActivity>?> ActivityAsync(DateTimeOffset now)
    {
        var org = GrainFactory.GetOrganization(OrgId);
        if (await org.GetAsync() is null) return null;
        await GrainFactory.GetGrain<IIntegrationCatalog>(OrgId).CatchUpAsync();
        var integrations = (await org.ListIntegrationsAsync(ListQuery.All)).Items;
        var activity = await Task.WhenAll(integrations.Select(i =>
            GrainFactory.GetGrain<IIntegrationDashboard>(GrainKeys.Integration(OrgId, i.IntegrationId)).ActivityAsync(now)));
        return activity.OfType<IntegrationActivity>().ToList();
    }

    /// <summary>The daily counts per type: the organization's roll-up, or (not built yet) summed from its integrations.</summary>
    private async Task<IReadOnlyList<TypeActivity>?> ByTypeAsync(DateTimeOffset now)
    {
        if (await GrainFactory.GetGrain<IOrganizationActivity>(OrgId).ActivityByTypeAsync() is { } rolledUp) return rolledUp;
        return await ActivityAsync(now) is { } all ? ActivityRollup.Of(all).View(now) : null;
    }

    public async Task<DashboardOverview?> OverviewAsync(DashboardPeriod period)
    {
        var now = clock.GetUtcNow();
        return await ByTypeAsync(now) is { } types ? DashboardMath.Overview(types, period, now) : null;
    }

    public async Task<DashboardChange?> ChangeAsync(DashboardPeriod period)
    {
        var now = clock.GetUtcNow();
        return await ByTypeAsync(now) is { } types ? DashboardMath.Change(types, period, now) : null;
    }

    public async Task<DashboardCodes?> ErrorsByCodeAsync(DashboardPeriod period)
    {
        var now = clock.GetUtcNow();
        return await ByTypeAsync(now) is { } types ? DashboardMath.ErrorsByCode(types, period, now) : null;
    }

    public async Task<DashboardTrends?> TrendsAsync(IntegrationType? type)
    {
        var now = clock.GetUtcNow();
        return await ByTypeAsync(now) is { } types ? DashboardMath.Trends(types, type, now) : null;
    }

    public async Task<FailurePage?> FailuresAsync(FailureQuery query)
    {
        if (query.Limit is < 1 or > 200) throw ProfileRules.Invalid("limit", "must be 1 to 200");
        if (query.Offset < 0) throw ProfileRules.Invalid("offset", "must be 0 or more");
        return await GrainFactory.GetGrain<IOrganizationActivity>(OrgId).FailuresAsync(query);
    }

    /// <summary>A failure's detail: one call, to the integration its id names.</summary>
    public async Task<FailureDetail?> FailureAsync(string failureId)
    {
        var now = clock.GetUtcNow();
        if (await GrainFactory.GetOrganization(OrgId).GetAsync() is null) return null;
        if (!ErrorIds.TryParse(failureId, out var integrationId, out _)) return null;
        await GrainFactory.GetGrain<IIntegrationCatalog>(OrgId).CatchUpAsync();
        var activity = await GrainFactory.GetGrain<IIntegrationDashboard>(GrainKeys.Integration(OrgId, integrationId)).ActivityAsync(now);
        return activity is null ? null : DashboardMath.Failure([activity], failureId);
    }
}
