using Alerts.Contracts;
using Alerts.Grains.Intake;
using Alerts.Grains.Stores;
using Alerts.Grains.Thresholds;

namespace Alerts.Tests.Policies;

public sealed class ThresholdPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DirectionSettings FiveInOneHour = new(5, FailureInterval.OneHour);

    private static ErrorWindow Errors(params TimeSpan[] agoFromT0)
    {
        var window = ErrorWindow.For(TimeSpan.FromHours(1));
        foreach (var ago in agoFromT0) window.Add(T0 - ago, "i1");
        return window;
    }

    private static TimeSpan[] Minutes(params int[] minutes) => minutes.Select(m => TimeSpan.FromMinutes(m)).ToArray();

    [Theory]
    [InlineData(4, ThresholdOutcome.BelowLimit)]
    [InlineData(5, ThresholdOutcome.Notify)]
    [InlineData(6, ThresholdOutcome.Notify)]
    public void Fires_when_the_count_reaches_the_limit(int errors, ThresholdOutcome expected)
    {
        var window = Errors(Enumerable.Range(1, errors).Select(m => TimeSpan.FromMinutes(m)).ToArray());
        var decision = ThresholdPolicy.Evaluate(FiveInOneHour, null, window, T0);
        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(errors, decision.Errors.Count);
        Assert.True(decision.Errors.Exact);
    }

    [Fact]
    public void Counts_only_errors_strictly_inside_the_interval()
    {
        // 60 minutes ago exactly is at the cutoff, not after it.
        var window = Errors(Minutes(1, 2, 3, 4, 60));
        Assert.Equal(ThresholdOutcome.BelowLimit, ThresholdPolicy.Evaluate(FiveInOneHour, null, window, T0).Outcome);
        window.Add(T0 - TimeSpan.FromMinutes(59) - TimeSpan.FromSeconds(59), "i1");
        Assert.Equal(ThresholdOutcome.Notify, ThresholdPolicy.Evaluate(FiveInOneHour, null, window, T0).Outcome);
    }

    [Fact]
    public void Counts_only_errors_after_the_last_notification()
    {
        var window = Errors(Minutes(1, 2, 3, 4, 5, 6, 7, 8));
        var lastFailureAt = T0 - TimeSpan.FromMinutes(65) ;
        Assert.Equal(ThresholdOutcome.Notify, ThresholdPolicy.Evaluate(FiveInOneHour, lastFailureAt, window, T0).Outcome);

        // Notified 5.5 minutes ago with a 5-minute interval: only the 5 errors after it count.
        var fiveMinutes = new DirectionSettings(5, FailureInterval.FiveMinutes);
        var decision = ThresholdPolicy.Evaluate(fiveMinutes, T0 - TimeSpan.FromMinutes(5.5), Errors(Minutes(1, 2, 3, 4, 5, 6, 7)), T0);
        Assert.Equal(ThresholdOutcome.BelowLimit, decision.Outcome);
        Assert.Equal(4, decision.Errors.Count);
    }

    [Fact]
    public void Cools_down_for_one_interval_after_a_notification()
    {
        var window = Errors(Minutes(1, 2, 3, 4, 5, 6, 7));
        var decision = ThresholdPolicy.Evaluate(FiveInOneHour, T0 - TimeSpan.FromMinutes(59), window, T0);
        Assert.Equal(ThresholdOutcome.CoolingDown, decision.Outcome);
        Assert.Equal(T0 + TimeSpan.FromMinutes(1), decision.CooldownEndsAt);
    }

    [Fact]
    public void The_cooldown_ends_exactly_one_interval_after_the_notification()
    {
        var lastFailureAt = T0 - TimeSpan.FromHours(1);
        var window = Errors(Minutes(1, 2, 3, 4, 5));
        Assert.Equal(ThresholdOutcome.Notify, ThresholdPolicy.Evaluate(FiveInOneHour, lastFailureAt, window, T0).Outcome);
        Assert.Equal(ThresholdOutcome.CoolingDown, ThresholdPolicy.Evaluate(FiveInOneHour, lastFailureAt, window, T0 - TimeSpan.FromTicks(1)).Outcome);
    }

    [Theory]
    [InlineData(0, FailureInterval.OneHour)]
    [InlineData(null, FailureInterval.OneHour)]
    [InlineData(5, null)]
    [InlineData(null, null)]
    public void Is_inactive_without_both_settings_or_with_limit_zero(int? limit, FailureInterval? interval)
    {
        var window = Errors(Minutes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        Assert.Equal(ThresholdOutcome.Inactive, ThresholdPolicy.Evaluate(new DirectionSettings(limit, interval), null, window, T0).Outcome);
    }

    [Fact]
    public void Every_interval_has_its_length()
    {
        var expected = new Dictionary<string, TimeSpan>
        {
            ["5m"] = TimeSpan.FromMinutes(5), ["15m"] = TimeSpan.FromMinutes(15), ["30m"] = TimeSpan.FromMinutes(30),
            ["1h"] = TimeSpan.FromHours(1), ["3h"] = TimeSpan.FromHours(3), ["6h"] = TimeSpan.FromHours(6),
            ["12h"] = TimeSpan.FromHours(12), ["24h"] = TimeSpan.FromHours(24), ["7d"] = TimeSpan.FromDays(7),
        };
        Assert.Equal(expected.Keys, FailureIntervals.WireNames);
        foreach (var (wire, length) in expected)
        {
            Assert.True(FailureIntervals.TryParse(wire, out var interval));
            Assert.Equal(length, interval.Length());
            Assert.Equal(wire, interval.Wire());
        }
        Assert.False(FailureIntervals.TryParse("2h", out _));
        Assert.False(FailureIntervals.TryParse("1H", out _));
    }

    [Theory]
    [InlineData(FailureInterval.FiveMinutes)]
    [InlineData(FailureInterval.OneDay)]
    [InlineData(FailureInterval.SevenDays)]
    public void Each_interval_slides(FailureInterval interval)
    {
        var settings = new DirectionSettings(3, interval);
        var length = interval.Length();
        var window = ErrorWindow.For(TimeSpan.FromHours(1));
        window.Add(T0 - length + TimeSpan.FromSeconds(1), "i1");
        window.Add(T0 - TimeSpan.FromSeconds(2), "i1");
        window.Add(T0 - TimeSpan.FromSeconds(1), "i1");
        Assert.Equal(ThresholdOutcome.Notify, ThresholdPolicy.Evaluate(settings, null, window, T0).Outcome);
        Assert.Equal(ThresholdOutcome.BelowLimit, ThresholdPolicy.Evaluate(settings, null, window, T0 + TimeSpan.FromSeconds(1)).Outcome);
    }

    [Fact]
    public void Names_the_top_failing_integrations_most_first()
    {
        var window = ErrorWindow.For(TimeSpan.FromHours(1));
        for (var i = 0; i < 3; i++) window.Add(T0 - TimeSpan.FromMinutes(2), "b");
        for (var i = 0; i < 5; i++) window.Add(T0 - TimeSpan.FromMinutes(3), "a");
        window.Add(T0 - TimeSpan.FromMinutes(4), "c");
        var decision = ThresholdPolicy.Evaluate(FiveInOneHour, null, window, T0);
        Assert.Equal([("a", 5), ("b", 3), ("c", 1)], decision.TopIntegrations);
    }

    [Fact]
    public void The_forget_boundary_is_the_later_of_the_last_notification_and_one_interval_ago()
    {
        Assert.Equal(T0 - TimeSpan.FromHours(3), ThresholdPolicy.ForgetBoundary(null, T0, FailureInterval.ThreeHours));
        Assert.Equal(T0 - TimeSpan.FromDays(7), ThresholdPolicy.ForgetBoundary(T0 - TimeSpan.FromDays(8), T0, FailureInterval.SevenDays));
        Assert.Equal(T0 - TimeSpan.FromMinutes(10), ThresholdPolicy.ForgetBoundary(T0 - TimeSpan.FromMinutes(10), T0, FailureInterval.OneHour));
    }
}
