using Alerts.Grains.Intake;
using Alerts.Grains.Stores;
using Alerts.Grains.Thresholds;

namespace Alerts.Tests.Policies;

public sealed class RecentEventIdsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_id_is_new_once_per_integration()
    {
        var seen = new RecentEventIds(TimeSpan.FromHours(1), 100);
        Assert.True(seen.Add(ReportCodec.Key("crm", "a"), T0));
        Assert.False(seen.Add(ReportCodec.Key("crm", "a"), T0));
        Assert.True(seen.Add(ReportCodec.Key("shop", "a"), T0));
        Assert.True(seen.Contains(ReportCodec.Key("crm", "a")));
        Assert.False(seen.Contains(ReportCodec.Key("crm", "b")));
    }

    [Fact]
    public void Ids_are_remembered_for_the_window_whatever_the_rate()
    {
        var seen = new RecentEventIds(TimeSpan.FromHours(1), 10_000_000);
        // 1,000 reports a second for an hour: a count of 10,000 would have forgotten the first after 10 seconds.
        for (var second = 0; second < 3600; second += 60)
            for (var i = 0; i < 1000; i++) seen.Add(ReportCodec.Key("crm", $"{second}-{i}"), T0.AddSeconds(second));
        seen.Expire(T0.AddMinutes(60));
        Assert.True(seen.Contains(ReportCodec.Key("crm", "0-0")));
        // Forgotten once the minute it was recorded in is a whole window ago.
        seen.Expire(T0.AddMinutes(61));
        Assert.False(seen.Contains(ReportCodec.Key("crm", "0-0")));
        Assert.True(seen.Contains(ReportCodec.Key("crm", "60-999")));
        Assert.Equal(59_000, seen.Count);
    }

    [Fact]
    public void Past_the_limit_the_oldest_are_forgotten_first_and_counted()
    {
        var seen = new RecentEventIds(TimeSpan.FromHours(1), 3);
        for (var i = 0; i < 5; i++) Assert.True(seen.Add(ReportCodec.Key("crm", $"id-{i}"), T0.AddSeconds(i)));
        Assert.False(seen.Contains(ReportCodec.Key("crm", "id-0")));
        Assert.False(seen.Contains(ReportCodec.Key("crm", "id-1")));
        Assert.True(seen.Contains(ReportCodec.Key("crm", "id-2")));
        Assert.Equal(2, seen.ForgottenEarly);
    }
}
