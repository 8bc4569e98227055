using Alerts.Contracts;
using Alerts.Grains.Intake;
using Alerts.Grains.Organization;

namespace Alerts.Grains.Dashboard;

/// <summary>
/// The organization's part that keeps the dashboard's counts (<see cref="ActivityRollup"/>, in the snapshot): each commit
/// is counted as it is applied — and, after a crash, as the journal after the snapshot is replayed — so the dashboard
/// reads one bounded object instead of asking every integration. An organization from before the roll-up builds it once,
/// at activation, from its integrations' daily counts plus the commits they have not yet applied.
/// </summary>
internal sealed class DashboardCounts(IOrganizationHost host, Members members)
{
    private ActivityRollup? Rollup => host.State.Activity;

    /// <summary>A new organization starts with an empty roll-up (it has nothing to build it from).</summary>
    public void Start() => host.State.Activity ??= new ActivityRollup();

    /// <summary>Counts a commit's attempts by their integration's type.</summary>
    public void Count(AppliedCommit commit)
    {
        if (Rollup is not { } rollup) return;
        foreach (var report in commit.Reports)
        {
            if (members.Integrations.TryGetValue(report.IntegrationId, out var integration))
                rollup.Add(integration.Type, report.Attempt, commit.WrittenAt);
        }
    }

    /// <summary>
    /// Builds the roll-up of an organization that has none, at activation (before any commit is applied or projected):
    /// each integration's daily counts through the last commit it applied, plus its share of the restored commits after
    /// that. False, leaving it for the next activation, when an integration cannot be asked now.
    /// </summary>
    public async Task<bool> BuildAsync(IReadOnlyList<AppliedCommit> restored)
    {
        if (Rollup is not null || host.State.Profile is null) return false;
        var rollup = new ActivityRollup();
        var applied = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var (integrationId, profile) in members.Integrations)
            {
                var integration = host.GrainFactory.GetGrain<IIntegrationDashboard>(GrainKeys.Integration(host.OrgId, integrationId));
                if (await integration.DaysAsync() is not { } days) continue;
                rollup.Merge(profile.Type, days.Days);
                applied[integrationId] = days.AppliedThrough;
            }
        }
        catch (Exception exception)
        {
            Log.RollupBuildFailed(host.Logger, exception, host.OrgId);
            return false;
        }
        foreach (var commit in restored)
        {
            foreach (var report in commit.Reports)
            {
                if (commit.Sequence > applied.GetValueOrDefault(report.IntegrationId) && members.Integrations.TryGetValue(report.IntegrationId, out var integration))
                    rollup.Add(integration.Type, report.Attempt, commit.WrittenAt);
            }
        }
        host.State.Activity = rollup;
        host.MarkDirty();
        Log.RollupBuilt(host.Logger, host.OrgId, members.Integrations.Count);
        return true;
    }

    /// <summary>The counts per type as of now; null while the organization has no roll-up (not built yet).</summary>
    public IReadOnlyList<TypeActivity>? View() => Rollup?.View(host.Now);
}
