using Alerts.Grains.Notify;

namespace Alerts.Tests.Policies;

public sealed class RelayScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 10)]
    [InlineData(3, 7)]
    [InlineData(30, 200)]
    public void No_window_ever_holds_more_than_the_limit_and_none_waits_longer_than_it_must(int limit, int messages)
    {
        var window = TimeSpan.FromMinutes(1);
        var slots = new List<long>();
        var random = new Random(limit);
        var now = T0;
        var given = new List<DateTimeOffset>();
        for (var i = 0; i < messages; i++)
        {
            now += TimeSpan.FromSeconds(random.Next(0, 5));
            given.Add(RelaySchedule.Reserve(slots, now, limit, window));
            Assert.True(given[^1] >= now);
        }
        for (var i = limit; i < given.Count; i++)
        {
            // The slot `limit` places back is at least a window earlier...
            Assert.True(given[i] - given[i - limit] >= window, $"slots {i - limit} and {i} are {given[i] - given[i - limit]} apart");
        }
        Assert.Equal(given.Order(), given);
        Assert.InRange(slots.Count, 0, limit);
    }

    [Fact]
    public void Under_the_limit_messages_go_at_once()
    {
        var slots = new List<long>();
        Assert.Equal(T0, RelaySchedule.Reserve(slots, T0, 3, TimeSpan.FromMinutes(1)));
        Assert.Equal(T0.AddSeconds(1), RelaySchedule.Reserve(slots, T0.AddSeconds(1), 3, TimeSpan.FromMinutes(1)));
        Assert.Equal(T0.AddSeconds(2), RelaySchedule.Reserve(slots, T0.AddSeconds(2), 3, TimeSpan.FromMinutes(1)));
        // ...and the fourth waits until the first's window has passed.
        Assert.Equal(T0.AddMinutes(1), RelaySchedule.Reserve(slots, T0.AddSeconds(3), 3, TimeSpan.FromMinutes(1)));
        Assert.Equal(T0.AddMinutes(1).AddSeconds(1), RelaySchedule.Reserve(slots, T0.AddSeconds(3), 3, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Without_a_limit_every_slot_is_now()
    {
        var slots = new List<long>();
        for (var i = 0; i < 100; i++) Assert.Equal(T0, RelaySchedule.Reserve(slots, T0, 0, TimeSpan.FromMinutes(1)));
        Assert.Empty(slots);
    }
}
