using Alerts.Grains.Policies;

namespace Alerts.Tests.Policies;

public sealed class ErrorWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Counts_exactly_after_a_cutoff_whatever_the_order_of_arrival()
    {
        var window = new ErrorWindow();
        foreach (var seconds in new[] { 50, 10, 30, 20, 40 }) window.Add(T0.AddSeconds(seconds), "i");
        Assert.Equal(new ErrorCount(5, true), window.CountAfter(T0));
        Assert.Equal(new ErrorCount(3, true), window.CountAfter(T0.AddSeconds(20)));
        Assert.Equal(new ErrorCount(0, true), window.CountAfter(T0.AddSeconds(50)));
    }

    [Fact]
    public void Forgetting_drops_errors_at_or_before_the_boundary()
    {
        var window = new ErrorWindow();
        for (var minute = 0; minute < 10; minute++) window.Add(T0.AddMinutes(minute), $"i{minute % 2}");
        window.ForgetUpTo(T0.AddMinutes(4));
        Assert.Equal(5, window.Recent.Count);
        Assert.Equal(new ErrorCount(5, true), window.CountAfter(T0.AddMinutes(-100)));
        // The boundary's own minute straddles it and stays (its buckets only feed estimates and the top list).
        Assert.Equal(T0.AddMinutes(4).UtcTicks / TimeSpan.TicksPerMinute, window.Minutes.Min(bucket => bucket.Minute));
    }

    [Fact]
    public void Past_its_capacity_the_count_is_exact_near_the_present_and_estimated_beyond()
    {
        var window = new ErrorWindow();
        var total = 3 * ErrorWindow.Capacity + 100;
        for (var i = 0; i < total; i++) window.Add(T0.AddSeconds(i), "i");
        Assert.InRange(window.Recent.Count, ErrorWindow.Capacity, 2 * ErrorWindow.Capacity);

        var recentCutoff = T0.AddSeconds(total - 100 - 1);
        Assert.Equal(new ErrorCount(100, true), window.CountAfter(recentCutoff));

        var all = window.CountAfter(T0.AddSeconds(-1));
        Assert.False(all.Exact);
        // Estimated from whole minutes after the cutoff: at most a minute's worth short, never more than the truth.
        Assert.InRange(all.Count, total - 60, total);
    }

    [Fact]
    public void A_late_error_older_than_the_exact_list_still_counts_in_its_minute()
    {
        var window = new ErrorWindow();
        var recent = 2 * ErrorWindow.Capacity;
        for (var i = 0; i < recent; i++) window.Add(T0.AddMinutes(10).AddMilliseconds(i), "recent");
        window.Add(T0, "late");
        Assert.Equal(ErrorWindow.Capacity, window.Recent.Count);
        var count = window.CountAfter(T0.AddSeconds(-61));
        Assert.False(count.Exact);
        Assert.Equal(recent + 1, count.Count);
        Assert.Contains(("late", 1), window.TopIntegrationsAfter(T0.AddMinutes(-1), 5));
    }

    [Fact]
    public void Top_integrations_are_limited_and_ordered()
    {
        var window = new ErrorWindow();
        for (var i = 0; i < 8; i++)
            for (var n = 0; n <= i; n++) window.Add(T0.AddSeconds(n), $"integration-{i}");
        var top = window.TopIntegrationsAfter(T0.AddMinutes(-1), 3);
        Assert.Equal([("integration-7", 8), ("integration-6", 7), ("integration-5", 6)], top);
    }
}
