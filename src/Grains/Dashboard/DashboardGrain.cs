using Alerts.Contracts;
using Alerts.Grains.Organization;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Grains.Dashboard;

/// <summary>
/// The dashboard of one organization (key: the org id), stateless: it asks every integration for its daily counts and
/// tracked errors (after the reports acknowledged so far are projected) and sums them (<see cref="DashboardMath"/>).
/// No raw error is read per request. One call per integration: fine for hundreds; an organization-level roll-up is the
/// next step for tenants with thousands.
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

    public async Task<DashboardOverview?> OverviewAsync(DashboardPeriod period)
    {
        var now = clock.GetUtcNow();
        return await ActivityAsync(now) is { } all ? DashboardMath.Overview(all, period, now) : null;
    }

    public async Task<DashboardChange?> ChangeAsync(DashboardPeriod period)
    {
        var now = clock.GetUtcNow();
        return await ActivityAsync(now) is { } all ? DashboardMath.Change(all, period, now) : null;
    }

    public async Task<DashboardCodes?> ErrorsByCodeAsync(DashboardPeriod period)
    {
        var now = clock.GetUtcNow();
        return await ActivityAsync(now) is { } all ? DashboardMath.ErrorsByCode(all, period, now) : null;
    }

    public async Task<DashboardTrends?> TrendsAsync(IntegrationType? type)
    {
        var now = clock.GetUtcNow();
        return await ActivityAsync(now) is { } all ? DashboardMath.Trends(all, type, now) : null;
    }

    public async Task<FailurePage?> FailuresAsync(FailureQuery query)
    {
        if (query.Limit is < 1 or > 200) throw ProfileRules.Invalid("limit", "must be 1 to 200");
        if (query.Offset < 0) throw ProfileRules.Invalid("offset", "must be 0 or more");
        var now = clock.GetUtcNow();
        return await ActivityAsync(now) is { } all ? DashboardMath.Failures(all, query, now) : null;
    }

    public async Task<FailureDetail?> FailureAsync(string failureId)
    {
        var now = clock.GetUtcNow();
        return await ActivityAsync(now) is { } all ? DashboardMath.Failure(all, failureId) : null;
    }
}
