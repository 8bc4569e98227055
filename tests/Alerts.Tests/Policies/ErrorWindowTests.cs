using Alerts.Grains.Intake;
using Alerts.Grains.Stores;
using Alerts.Grains.Thresholds;

namespace Alerts.Tests.Policies;

public sealed class ErrorWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static ErrorWindow Hour() => ErrorWindow.For(TimeSpan.FromHours(1));

    [Fact]
    public void Counts_exactly_after_a_cutoff_whatever_the_order_of_arrival()
    {
        var window = Hour();
        foreach (var seconds in new[] { 50, 10, 30, 20, 40 }) window.Add(T0.AddSeconds(seconds), "i");
        Assert.Equal(new ErrorCount(5, true), window.CountAfter(T0));
        Assert.Equal(new ErrorCount(3, true), window.CountAfter(T0.AddSeconds(20)));
        Assert.Equal(new ErrorCount(0, true), window.CountAfter(T0.AddSeconds(50)));
    }

    [Fact]
    public void Buckets_are_a_sixtieth_of_the_interval()
    {
        Assert.Equal(TimeSpan.FromSeconds(5).Ticks, ErrorWindow.For(TimeSpan.FromMinutes(5)).BucketTicks);
        Assert.Equal(TimeSpan.FromMinutes(1).Ticks, Hour().BucketTicks);
        Assert.Equal(TimeSpan.FromMinutes(168).Ticks, ErrorWindow.For(TimeSpan.FromDays(7)).BucketTicks);
    }

    [Fact]
    public void Forgetting_drops_errors_at_or_before_the_boundary()
    {
        var window = Hour();
        for (var minute = 0; minute < 10; minute++) window.Add(T0.AddMinutes(minute), $"i{minute % 2}");
        window.ForgetUpTo(T0.AddMinutes(4));
        Assert.Equal(5, window.Recent.Count);
        Assert.Equal(new ErrorCount(5, true), window.CountAfter(T0.AddMinutes(-100)));
        // The boundary's own bucket straddles it and stays (buckets only feed estimates and the top list).
        Assert.Equal(T0.AddMinutes(4).UtcTicks / window.BucketTicks, window.Buckets.Min(bucket => bucket.Index));
    }

    [Fact]
    public void Past_its_capacity_the_count_is_exact_near_the_present_and_estimated_beyond()
    {
        var window = Hour();
        var total = 3 * ErrorWindow.ExactCapacity + 100;
        for (var i = 0; i < total; i++) window.Add(T0.AddSeconds(i), "i");
        Assert.InRange(window.Recent.Count, ErrorWindow.ExactCapacity, 2 * ErrorWindow.ExactCapacity);

        var recentCutoff = T0.AddSeconds(total - 100 - 1);
        Assert.Equal(new ErrorCount(100, true), window.CountAfter(recentCutoff));

        var all = window.CountAfter(T0.AddSeconds(-1));
        Assert.False(all.Exact);
        // Estimated from whole buckets after the cutoff: at most a bucket's worth short, never more than the truth.
        Assert.InRange(all.Count, total - 60, total);
    }

    [Fact]
    public void A_late_error_older_than_the_exact_list_still_counts_in_its_bucket()
    {
        var window = Hour();
        var recent = 2 * ErrorWindow.ExactCapacity;
        for (var i = 0; i < recent; i++) window.Add(T0.AddMinutes(10).AddMilliseconds(i), "recent");
        window.Add(T0, "late");
        Assert.Equal(ErrorWindow.ExactCapacity, window.Recent.Count);
        var count = window.CountAfter(T0.AddSeconds(-61));
        Assert.False(count.Exact);
        Assert.Equal(recent + 1, count.Count);
        Assert.Contains(("late", 1), window.TopIntegrationsAfter(T0.AddMinutes(-1), 5));
    }

    [Fact]
    public void Top_integrations_are_limited_and_ordered()
    {
        var window = Hour();
        for (var i = 0; i < 6; i++)
            for (var n = 0; n <= i; n++) window.Add(T0.AddSeconds(n), $"integration-{i}");
        var top = window.TopIntegrationsAfter(T0.AddMinutes(-1), 3);
        Assert.Equal([("integration-5", 6), ("integration-4", 5), ("integration-3", 4)], top);
    }

    [Fact]
    public void A_bucket_keeps_its_most_failing_integrations_when_many_fail_at_once()
    {
        var window = Hour();
        for (var i = 0; i < 500; i++) window.Add(T0, $"noise-{i}");
        for (var n = 0; n < 200; n++) window.Add(T0, "worst");
        for (var n = 0; n < 100; n++) window.Add(T0, "second");
        var bucket = Assert.Single(window.Buckets);
        Assert.Equal(800, bucket.Count);
        Assert.Equal(ErrorWindow.TopPerBucket, bucket.Top.Count);
        var top = window.TopIntegrationsAfter(T0.AddMinutes(-1), 2);
        Assert.Equal(["worst", "second"], top.Select(t => t.IntegrationId));
        // Space-Saving over-counts by at most what the displaced entries had, never under-counts.
        Assert.InRange(top[0].Errors, 200, 200 + 500 / ErrorWindow.TopPerBucket + 1);
    }

    [Fact]
    public void The_stored_size_does_not_grow_with_the_number_of_errors()
    {
        var window = ErrorWindow.For(TimeSpan.FromDays(7));
        var random = new Random(7);
        for (var i = 0; i < 200_000; i++) window.Add(T0.AddSeconds(random.Next(0, 7 * 24 * 3600)), $"integration-{random.Next(1000)}");
        Assert.InRange(window.Recent.Count, 0, 2 * ErrorWindow.ExactCapacity);
        Assert.InRange(window.Buckets.Count, 0, ErrorWindow.BucketCount + 1);
        Assert.All(window.Buckets, bucket => Assert.InRange(bucket.Top.Count, 0, ErrorWindow.TopPerBucket));
        Assert.Equal(200_000, window.Count);
    }

    [Fact]
    public void Resizing_keeps_the_counts_and_re_buckets_them()
    {
        var window = ErrorWindow.For(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 300; i++) window.Add(T0.AddSeconds(i), i % 2 == 0 ? "even" : "odd");
        window.Resize(TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromMinutes(1).Ticks, window.BucketTicks);
        Assert.Equal(5, window.Buckets.Count);
        Assert.Equal(300, window.Count);
        Assert.Equal([("even", 150), ("odd", 150)], window.TopIntegrationsAfter(T0.AddMinutes(-1), 5));
        Assert.Equal(new ErrorCount(300, true), window.CountAfter(T0.AddSeconds(-1)));
    }
}
