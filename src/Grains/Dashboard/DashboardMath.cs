using Alerts.Contracts;

namespace Alerts.Grains.Dashboard;

/// <summary>What the dashboard reads from one integration: its type and name, daily counts, tracked errors, latest errors.</summary>
[GenerateSerializer, Immutable, Alias("alerts.integration-activity")]
public sealed record IntegrationActivity(
    [property: Id(0)] string IntegrationId,
    [property: Id(1)] string Name,
    [property: Id(2)] IntegrationType Type,
    [property: Id(3)] IReadOnlyList<DayActivity> Days,
    [property: Id(4)] IReadOnlyList<ErrorView> Errors,
    [property: Id(5)] IReadOnlyList<ErrorDetail> Recent);

/// <summary>How the dashboard asks an integration for its activity (organization's dashboard → integration; not public).</summary>
public interface IIntegrationDashboard : IGrainWithStringKey
{
    /// <summary>Null when the integration is not registered. Retry windows are closed as of <paramref name="asOf"/>.</summary>
    Task<IntegrationActivity?> ActivityAsync(DateTimeOffset asOf);

    /// <summary>
    /// Its daily counts and the last commit they include (once, to build the roll-up of an organization that had none);
    /// null when it is not registered.
    /// </summary>
    Task<IntegrationDays?> DaysAsync();
}

/// <summary>An integration's daily counts through commit <see cref="AppliedThrough"/> of its organization.</summary>
[GenerateSerializer, Immutable, Alias("alerts.integration-days")]
public sealed record IntegrationDays(
    [property: Id(0)] long AppliedThrough,
    [property: Id(1)] IReadOnlyList<DayActivity> Days);

/// <summary>
/// The dashboard's numbers (SPEC §7), pure: sums of the organization's daily counts per type (<see cref="ActivityRollup"/>)
/// over whole UTC days (a period of N days ends today; the previous period is the N days before it), and the failures
/// table from the integrations' tracked errors.
/// </summary>
public static class DashboardMath
{
    private static readonly IntegrationType[] Types =
        [IntegrationType.InboundWebhook, IntegrationType.OutboundWebhook, IntegrationType.Prebuilt, IntegrationType.CustomNode, IntegrationType.CustomEvent];

    /// <summary>First and last day (inclusive) of the period, <paramref name="back"/> periods before the current one.</summary>
    public static (int First, int Last) Range(DashboardPeriod period, DateTimeOffset now, int back = 0)
    {
        var last = DailyActivity.DayOf(now) - period.Days() * back;
        return (last - period.Days() + 1, last);
    }

    private static IEnumerable<DayActivity> In(TypeActivity activity, (int First, int Last) range) =>
        activity.Days.Where(d => d.Day >= range.First && d.Day <= range.Last);

    public static DashboardOverview Overview(IReadOnlyList<TypeActivity> types, DashboardPeriod period, DateTimeOffset now)
    {
        var range = Range(period, now);
        return new DashboardOverview(period, Types.Select(type => new TypeFailures(type,
            types.Where(t => t.Type == type).Sum(t => In(t, range).Sum(d => d.Failed)))).ToList());
    }

    public static DashboardChange Change(IReadOnlyList<TypeActivity> types, DashboardPeriod period, DateTimeOffset now)
    {
        var current = Range(period, now);
        var previous = Range(period, now, back: 1);
        return new DashboardChange(period, Types.Select(type =>
        {
            var ofType = types.Where(t => t.Type == type).ToList();
            long Sum((int, int) range, Func<DayActivity, long> count) => ofType.Sum(t => In(t, range).Sum(count));
            var failed = Sum(current, d => d.Failed);
            var succeeded = Sum(current, d => d.Succeeded);
            var previousFailed = Sum(previous, d => d.Failed);
            var previousSucceeded = Sum(previous, d => d.Succeeded);
            return new TypeChange(type, failed, succeeded, previousFailed, previousSucceeded,
                Percent(failed, previousFailed), Percent(succeeded, previousSucceeded),
                previousFailed == 0 && failed > 0, previousSucceeded == 0 && succeeded > 0);
        }).ToList());
    }

    /// <summary>The change in percent, one decimal; null when there is nothing to compare with.</summary>
    public static double? Percent(long current, long previous) =>
        previous == 0 ? null : Math.Round((current - previous) * 100.0 / previous, 1, MidpointRounding.AwayFromZero);

    public static DashboardCodes ErrorsByCode(IReadOnlyList<TypeActivity> types, DashboardPeriod period, DateTimeOffset now)
    {
        var range = Range(period, now);
        var totals = new Dictionary<int, long>();
        long other = 0;
        foreach (var day in types.SelectMany(t => In(t, range)))
        {
            foreach (var (code, count) in day.Codes) totals[code] = totals.GetValueOrDefault(code) + count;
            other += day.OtherCodes;
        }
        var codes = totals.Select(t => t.Key == DailyActivity.NoCode
                ? new CodeFailures(null, "No code", t.Value)
                : new CodeFailures(t.Key, ErrorCodes.NameOrNull(t.Key) ?? $"Code {t.Key}", t.Value))
            .ToList();
        if (other > 0) codes.Add(new CodeFailures(null, "Other codes", other));
        return new DashboardCodes(period, codes.OrderByDescending(c => c.Failures).ThenBy(c => c.Code ?? int.MaxValue).ToList());
    }

    public static DashboardTrends Trends(IReadOnlyList<TypeActivity> types, IntegrationType? only, DateTimeOffset now)
    {
        var range = Range(DashboardPeriod.ThirtyDays, now);
        var days = Enumerable.Range(range.First, 30).ToList();
        var series = Types.Where(type => only is null || type == only).Select(type =>
        {
            var perDay = new long[30];
            foreach (var day in types.Where(t => t.Type == type).SelectMany(t => In(t, range))) perDay[day.Day - range.First] += day.Failed;
            return new TypeSeries(type, perDay);
        }).ToList();
        return new DashboardTrends(days.Select(DailyActivity.DateOf).ToList(), series);
    }

    public static IEnumerable<FailureRow> Rows(IReadOnlyList<IntegrationActivity> integrations) =>
        integrations.SelectMany(i => i.Errors.Select(e => new FailureRow(
            e.Id, i.Type, i.IntegrationId, i.Name,
            e.Message ?? ErrorCodes.NameOrNull(e.StatusCode) ?? "Error",
            e.Service, e.Flow, e.StatusCode, e.Occurrences, e.LastSeen, e.Status)));

    public static FailurePage Failures(IReadOnlyList<IntegrationActivity> integrations, FailureQuery query, DateTimeOffset now)
    {
        var first = DailyActivity.DateOf(Range(query.Period, now).First).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var rows = Rows(integrations).Where(r => r.LastSeen >= first && (query.Type is null || r.Type == query.Type));
        IOrderedEnumerable<FailureRow> sorted = query.Sort switch
        {
            FailureSort.Total => query.Descending ? rows.OrderByDescending(r => r.Total) : rows.OrderBy(r => r.Total),
            FailureSort.Integration => query.Descending ? rows.OrderByDescending(r => r.IntegrationName, StringComparer.OrdinalIgnoreCase) : rows.OrderBy(r => r.IntegrationName, StringComparer.OrdinalIgnoreCase),
            FailureSort.Type => query.Descending ? rows.OrderByDescending(r => r.Type) : rows.OrderBy(r => r.Type),
            _ => query.Descending ? rows.OrderByDescending(r => r.LastSeen) : rows.OrderBy(r => r.LastSeen),
        };
        var all = sorted.ThenByDescending(r => r.LastSeen).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        var page = all.Skip(query.Offset).Take(query.Limit).ToList();
        var next = query.Offset + page.Count < all.Count ? query.Offset + page.Count : (int?)null;
        return new FailurePage(page, all.Count, next);
    }

    public static FailureDetail? Failure(IReadOnlyList<IntegrationActivity> integrations, string failureId)
    {
        foreach (var integration in integrations)
        {
            var error = integration.Errors.FirstOrDefault(e => e.Id == failureId);
            if (error is null) continue;
            var row = Rows([integration with { Errors = [error] }]).Single();
            var recent = integration.Recent
                .Where(d => (d.Flow ?? "") == error.Flow && d.StatusCode == error.StatusCode && (error.TraceKey is null || d.TraceKey == error.TraceKey))
                .OrderByDescending(d => d.OccurredAt)
                .ToList();
            return new FailureDetail(row, recent, ErrorCodes.NameOrNull(error.StatusCode), ErrorCatalog.Guidance(error.StatusCode, integration.Type));
        }
        return null;
    }
}
