using Alerts.Contracts;
using Alerts.Grains.Dashboard;

namespace Alerts.Tests.Policies;

/// <summary>SPEC §7's numbers from daily counts, pure: UTC days, periods ending today, the previous period, back-fill.</summary>
public sealed class DashboardMathTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 13, 0, 0, TimeSpan.Zero);

    private static Attempt Error(DateTimeOffset at, int? code = 500) => new($"e-{Guid.NewGuid():N}", AttemptOutcome.Error, at, code, "boom");

    private static Attempt Success(DateTimeOffset at) => new($"s-{Guid.NewGuid():N}", AttemptOutcome.Success, at);

    private static IntegrationActivity Integration(string id, IntegrationType type, params Attempt[] attempts)
    {
        var days = new List<DayActivity>();
        foreach (var attempt in attempts) DailyActivity.Add(days, attempt, Now);
        return new IntegrationActivity(id, id.ToUpperInvariant(), type, days, [], []);
    }

    /// <summary>The organization's counts per type, summed from its integrations' (as an organization without a roll-up builds it).</summary>
    private static IReadOnlyList<TypeActivity> ByType(IEnumerable<IntegrationActivity> integrations) => ActivityRollup.Of(integrations).View(Now);

    [Fact]
    public void Attempts_land_in_their_own_UTC_day_and_days_past_the_kept_range_are_dropped()
    {
        var days = new List<DayActivity>();
        DailyActivity.Add(days, Error(new DateTimeOffset(2026, 11, 25, 23, 59, 59, TimeSpan.Zero)), Now);
        DailyActivity.Add(days, Error(new DateTimeOffset(2026, 11, 26, 0, 30, 0, TimeSpan.FromHours(2))), Now); // 25 Nov 22:30 UTC
        DailyActivity.Add(days, Error(Now.AddDays(-60)), Now); // back-filled 60 days: kept
        DailyActivity.Add(days, Error(Now.AddDays(-61)), Now); // older than the kept range: not counted
        DailyActivity.Add(days, Success(Now), Now);

        Assert.Equal([DailyActivity.DayOf(Now.AddDays(-60)), DailyActivity.DayOf(Now.AddDays(-1)), DailyActivity.DayOf(Now)], days.Select(d => d.Day));
        Assert.Equal(2, days[1].Failed);
        Assert.Equal(1, days[2].Succeeded);
        Assert.Equal(new DateOnly(2026, 11, 25), DailyActivity.DateOf(days[1].Day));

        DailyActivity.Trim(days, Now.AddDays(1));
        Assert.Equal(2, days.Count); // the day 60 days back fell out once tomorrow came
    }

    [Fact]
    public void A_day_keeps_16_codes_and_counts_the_rest_together()
    {
        var days = new List<DayActivity>();
        for (var code = 400; code < 420; code++) DailyActivity.Add(days, Error(Now, code), Now);
        DailyActivity.Add(days, Error(Now, null), Now);
        Assert.Equal(DailyActivity.CodesPerDay, days[0].Codes.Count);
        Assert.Equal(5, days[0].OtherCodes);
        Assert.Equal(21, days[0].Failed);
    }

    [Fact]
    public void The_overview_lists_all_five_types_with_failures_in_whole_UTC_days_ending_today()
    {
        var integrations = new[]
        {
            Integration("crm", IntegrationType.OutboundWebhook, Error(Now), Error(Now.AddDays(-6)), Error(Now.AddDays(-7)), Success(Now)),
            Integration("hook", IntegrationType.InboundWebhook, Error(Now.AddHours(-14))), // yesterday 23:00 UTC is not "today"
        };
        var day = DashboardMath.Overview(ByType(integrations), DashboardPeriod.OneDay, Now);
        Assert.Equal(5, day.Types.Count);
        Assert.Equal(1, day.Types.Single(t => t.Type == IntegrationType.OutboundWebhook).Failures);
        Assert.Equal(0, day.Types.Single(t => t.Type == IntegrationType.InboundWebhook).Failures);
        Assert.Equal(0, day.Types.Single(t => t.Type == IntegrationType.CustomEvent).Failures);

        var week = DashboardMath.Overview(ByType(integrations), DashboardPeriod.SevenDays, Now);
        Assert.Equal(2, week.Types.Single(t => t.Type == IntegrationType.OutboundWebhook).Failures);
        Assert.Equal(1, week.Types.Single(t => t.Type == IntegrationType.InboundWebhook).Failures);
    }

    [Fact]
    public void Change_compares_with_the_period_before_and_says_new_instead_of_infinity()
    {
        var integrations = new[]
        {
            Integration("crm", IntegrationType.OutboundWebhook,
                [.. Enumerable.Range(0, 6).Select(i => Error(Now.AddDays(-i % 7))), .. Enumerable.Range(0, 4).Select(_ => Error(Now.AddDays(-8)))]),
            Integration("node", IntegrationType.CustomNode, Error(Now), Success(Now), Success(Now.AddDays(-10)), Success(Now.AddDays(-10))),
        };
        var change = DashboardMath.Change(ByType(integrations), DashboardPeriod.SevenDays, Now);
        var outbound = change.Types.Single(t => t.Type == IntegrationType.OutboundWebhook);
        Assert.Equal((6L, 4L, 50.0), (outbound.Failed, outbound.PreviousFailed, outbound.FailedChangePct!.Value));
        Assert.False(outbound.FailedIsNew);
        Assert.Null(outbound.SucceededChangePct); // nothing before, nothing now
        Assert.False(outbound.SucceededIsNew);

        var node = change.Types.Single(t => t.Type == IntegrationType.CustomNode);
        Assert.Null(node.FailedChangePct);
        Assert.True(node.FailedIsNew);
        Assert.Equal(-50.0, node.SucceededChangePct);
        Assert.Equal(33.3, DashboardMath.Percent(4, 3));
    }

    [Fact]
    public void Errors_by_code_are_named_and_sorted_by_count()
    {
        var integrations = new[] { Integration("crm", IntegrationType.Prebuilt, Error(Now, 429), Error(Now, 429), Error(Now, 521), Error(Now, null)) };
        var codes = DashboardMath.ErrorsByCode(ByType(integrations), DashboardPeriod.ThirtyDays, Now).Codes;
        Assert.Equal(["429 Too Many Requests 2", "521 Web Server Is Down 1", " No code 1"], codes.Select(c => $"{c.Code} {c.Name} {c.Failures}"));
    }

    [Fact]
    public void Trends_give_30_days_oldest_first_per_type_and_filter_by_type()
    {
        var integrations = new[] { Integration("crm", IntegrationType.CustomEvent, Error(Now), Error(Now), Error(Now.AddDays(-29)), Error(Now.AddDays(-30))) };
        var trends = DashboardMath.Trends(ByType(integrations), null, Now);
        Assert.Equal(30, trends.Days.Count);
        Assert.Equal(new DateOnly(2026, 10, 28), trends.Days[0]);
        Assert.Equal(new DateOnly(2026, 11, 26), trends.Days[^1]);
        Assert.Equal(5, trends.Series.Count);
        var events = trends.Series.Single(s => s.Type == IntegrationType.CustomEvent).Failures;
        Assert.Equal((1L, 2L, 3L), (events[0], events[^1], events.Sum()));
        Assert.Single(DashboardMath.Trends(ByType(integrations), IntegrationType.Prebuilt, Now).Series);
    }

    [Fact]
    public void The_failures_table_sorts_pages_and_opens_a_detail_with_guidance()
    {
        ErrorView Tracked(string id, string integration, long total, DateTimeOffset lastSeen, int code) =>
            new(id, integration, "orders", "t-1", code, $"{id} failed", "billing", ErrorStatus.Open, lastSeen.AddHours(-1), lastSeen, total, null, lastSeen, null, null, null);
        var crm = Integration("crm", IntegrationType.Prebuilt) with
        {
            Errors = [Tracked("crm:1", "crm", 5, Now.AddHours(-1), 429), Tracked("crm:2", "crm", 50, Now.AddDays(-3), 500), Tracked("crm:3", "crm", 1, Now.AddDays(-40), 404)],
            Recent = [new ErrorDetail("e1", Now.AddHours(-1), 429, "slow down", "orders", "billing", "t-1"), new ErrorDetail("e2", Now.AddHours(-2), 500, "other", "orders", null, "t-1")],
        };
        var hook = Integration("hook", IntegrationType.InboundWebhook) with { Errors = [Tracked("hook:1", "hook", 7, Now.AddDays(-1), 429)] };

        var page = DashboardMath.Failures([crm, hook], new FailureQuery(Sort: FailureSort.Total, Limit: 2), Now);
        Assert.Equal(3, page.Total); // crm:3 was last seen before the 30 days
        Assert.Equal(["crm:2", "hook:1"], page.Items.Select(r => r.Id));
        Assert.Equal(2, page.NextOffset);
        var rest = DashboardMath.Failures([crm, hook], new FailureQuery(Sort: FailureSort.Total, Limit: 2, Offset: 2), Now);
        Assert.Equal(["crm:1"], rest.Items.Select(r => r.Id));
        Assert.Null(rest.NextOffset);
        Assert.Equal(["hook:1"], DashboardMath.Failures([crm, hook], new FailureQuery(Type: IntegrationType.InboundWebhook), Now).Items.Select(r => r.Id));

        var detail = DashboardMath.Failure([crm, hook], "crm:1")!;
        Assert.Equal(("CRM", "crm:1 failed", "billing", 5L), (detail.Failure.IntegrationName, detail.Failure.Description, detail.Failure.Service, detail.Failure.Total));
        Assert.Equal(["e1"], detail.RecentOccurrences.Select(o => o.EventId));
        Assert.Equal("Too Many Requests", detail.CodeName);
        Assert.Contains("provider", detail.Guidance); // outgoing guidance for a pre-built integration
        Assert.Contains("limits", DashboardMath.Failure([crm, hook], "hook:1")!.Guidance); // incoming guidance
        Assert.Null(DashboardMath.Failure([crm, hook], "nope:1"));
    }
}
