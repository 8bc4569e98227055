using Alerts.Contracts;

namespace Alerts.Grains.Dashboard;

/// <summary>One integration type's attempts per UTC day, as the dashboard's numbers are computed from them.</summary>
[GenerateSerializer, Immutable, Alias("alerts.type-activity")]
public sealed record TypeActivity(
    [property: Id(0)] IntegrationType Type,
    [property: Id(1)] IReadOnlyList<DayActivity> Days);

/// <summary>
/// An organization's attempts per integration type and UTC day — what the dashboard's overview, change, codes and
/// trends are sums of (SPEC §7) — pure. The organization counts each commit into it as it applies the commit and writes
/// it with its snapshot, so it is exact under replay like the threshold windows. Bounded whatever the traffic or the
/// number of integrations: 5 types × <see cref="DailyActivity.DaysKept"/> days × (<see cref="DailyActivity.CodesPerDay"/>
/// codes + 3 numbers).
/// </summary>
[GenerateSerializer, Alias("alerts.activity-rollup")]
public sealed class ActivityRollup
{
    [Id(0)] public Dictionary<IntegrationType, List<DayActivity>> Types { get; set; } = [];

    /// <summary>The day last trimmed to (days past the kept range go when a new day starts).</summary>
    [Id(1)] public int TrimmedThrough { get; set; }

    private List<DayActivity> DaysOf(IntegrationType type)
    {
        if (!Types.TryGetValue(type, out var days)) Types[type] = days = [];
        return days;
    }

    /// <summary>Counts one attempt of an integration of <paramref name="type"/>; <paramref name="today"/> is the commit's time.</summary>
    public void Add(IntegrationType type, Attempt attempt, DateTimeOffset today)
    {
        DailyActivity.Add(DaysOf(type), attempt, today);
        var day = DailyActivity.DayOf(today);
        if (day <= TrimmedThrough) return;
        TrimmedThrough = day;
        Trim(today);
    }

    /// <summary>Adds an integration's daily counts (building the roll-up of an organization that had none).</summary>
    public void Merge(IntegrationType type, IEnumerable<DayActivity> days)
    {
        var into = DaysOf(type);
        foreach (var day in days) DailyActivity.Merge(into, day);
    }

    /// <summary>A copy per type with days past the kept range ending <paramref name="today"/> left out, for the dashboard.</summary>
    public IReadOnlyList<TypeActivity> View(DateTimeOffset today)
    {
        var first = DailyActivity.DayOf(today) - (DailyActivity.DaysKept - 1);
        return Types
            .OrderBy(pair => pair.Key)
            .Select(pair => new TypeActivity(pair.Key, pair.Value.Where(d => d.Day >= first).Select(DailyActivity.Copy).ToList()))
            .ToList();
    }

    /// <summary>The roll-up of some integrations' daily counts (what an organization without one starts from).</summary>
    public static ActivityRollup Of(IEnumerable<IntegrationActivity> integrations)
    {
        var rollup = new ActivityRollup();
        foreach (var integration in integrations) rollup.Merge(integration.Type, integration.Days);
        return rollup;
    }

    private void Trim(DateTimeOffset today)
    {
        foreach (var days in Types.Values) DailyActivity.Trim(days, today);
    }
}
