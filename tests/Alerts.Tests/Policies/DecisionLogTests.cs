using Alerts.Contracts;
using Alerts.Grains.Thresholds;

namespace Alerts.Tests.Policies;

/// <summary>The decision log's rules (issue 22), pure: what becomes an entry, what is folded into the last, the bounds.</summary>
public sealed class DecisionLogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly DirectionSettings TenIn15 = new(10, FailureInterval.FifteenMinutes);

    private static ThresholdDecision Below(int count) => ThresholdDecision.BelowLimit(new ErrorCount(count, true));

    [Fact]
    public void Evaluations_in_a_row_with_one_outcome_are_one_entry_that_keeps_the_latest_count()
    {
        var log = new List<DecisionRecord>();
        for (var i = 1; i <= 5; i++) DecisionLog.Record(log, Below(i), TenIn15, null, T0.AddMinutes(i));

        var entry = Assert.Single(log);
        Assert.Equal((T0.AddMinutes(1), T0.AddMinutes(5), 5, 5), (entry.From, entry.At, entry.Errors, entry.Evaluations));
        Assert.Equal("Below the limit: 5 of 10 errors within 15m.", DecisionLog.Summary(entry));
    }

    [Fact]
    public void A_fired_decision_is_always_an_entry_of_its_own_and_a_new_outcome_or_setting_starts_another()
    {
        var log = new List<DecisionRecord>();
        DecisionLog.Record(log, Below(9), TenIn15, null, T0);
        DecisionLog.Record(log, ThresholdDecision.Notify(new ErrorCount(10, true), T0, []), TenIn15, "threshold-outgoing-1", T0.AddMinutes(1));
        DecisionLog.Record(log, ThresholdDecision.Notify(new ErrorCount(12, true), T0, []), TenIn15, "threshold-outgoing-2", T0.AddMinutes(2));
        var until = T0.AddMinutes(17);
        DecisionLog.Record(log, ThresholdDecision.CoolingDown(until, new ErrorCount(3, true)), TenIn15, null, T0.AddMinutes(3));
        DecisionLog.Record(log, ThresholdDecision.CoolingDown(until, new ErrorCount(4, true)), TenIn15, null, T0.AddMinutes(4));
        DecisionLog.Record(log, Below(4), new DirectionSettings(5, FailureInterval.FifteenMinutes), null, T0.AddMinutes(5));
        DecisionLog.Record(log, Below(5), TenIn15, null, T0.AddMinutes(6)); // the limit changed back: another entry
        DecisionLog.Record(log, ThresholdDecision.Inactive, new DirectionSettings(0, FailureInterval.FifteenMinutes), null, T0.AddMinutes(7));

        Assert.Equal(
            [DecisionOutcome.BelowLimit, DecisionOutcome.Fired, DecisionOutcome.Fired, DecisionOutcome.CoolingDown, DecisionOutcome.BelowLimit,
             DecisionOutcome.BelowLimit, DecisionOutcome.Inactive],
            log.Select(e => e.Outcome));
        Assert.Equal("threshold-outgoing-2", log[2].NotificationId);
        Assert.Equal("Alert sent: 12 errors within 15m reached the limit of 10.", DecisionLog.Summary(log[2]));
        Assert.Equal((4, 2, until), (log[3].Errors, log[3].Evaluations, log[3].CooldownEndsAt));
        Assert.Equal("Held by the cooldown until 2026-12-04 10:17:00 UTC: an alert went less than one interval ago (4 errors since it).",
            DecisionLog.Summary(log[3]));
        Assert.Equal("Off: the limit is 0 (or not set), so this direction sends no alerts.", DecisionLog.Summary(log[6]));
    }

    [Fact]
    public void The_log_keeps_at_most_its_entry_limit_and_seven_days()
    {
        var log = new List<DecisionRecord>();
        for (var i = 0; i < DecisionLog.MaxEntries + 30; i++)
            DecisionLog.Record(log, ThresholdDecision.Notify(new ErrorCount(10, true), T0, []), TenIn15, $"n-{i}", T0.AddMinutes(i));
        Assert.Equal(DecisionLog.MaxEntries, log.Count);
        Assert.Equal("n-30", log[0].NotificationId);

        // Eight days later one more entry: everything older than seven days goes.
        DecisionLog.Record(log, Below(1), TenIn15, null, T0.AddDays(8));
        Assert.Equal(DecisionOutcome.BelowLimit, Assert.Single(log).Outcome);
    }

    [Fact]
    public void A_count_from_the_buckets_is_said_to_be_a_lower_bound()
    {
        var log = new List<DecisionRecord>();
        DecisionLog.Record(log, ThresholdDecision.BelowLimit(new ErrorCount(1500, Exact: false)), new DirectionSettings(2000, FailureInterval.SevenDays), null, T0);
        Assert.Equal("Below the limit: at least 1500 of 2000 errors within 7d.", DecisionLog.Summary(log[0]));
    }

    [Fact]
    public void An_evaluation_that_counted_no_error_is_not_noted()
    {
        var log = new List<DecisionRecord>();
        DecisionLog.Record(log, Below(0), TenIn15, null, T0);
        DecisionLog.Record(log, ThresholdDecision.CoolingDown(T0.AddMinutes(15)), TenIn15, null, T0);
        Assert.Empty(log);
        DecisionLog.Record(log, ThresholdDecision.Inactive, new DirectionSettings(0, null), null, T0);
        Assert.Equal(DecisionOutcome.Inactive, Assert.Single(log).Outcome);
    }
}
