using Alerts.Grains.Notify;
using Alerts.Grains.Stores;

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
    public void A_burst_of_a_tenth_of_the_limit_goes_at_once_then_messages_are_spaced_evenly()
    {
        // 30 a minute: 3 at once, then one every 2 seconds on average (3 per 6 s).
        var slots = new List<long>();
        var window = TimeSpan.FromMinutes(1);
        Assert.Equal(3, RelaySchedule.Burst(30));
        Assert.Equal(TimeSpan.FromSeconds(2), RelaySchedule.Spacing(30, window));
        var given = Enumerable.Range(0, 12).Select(_ => RelaySchedule.Reserve(slots, T0, 30, window)).ToList();
        Assert.Equal([T0, T0, T0, T0.AddSeconds(6), T0.AddSeconds(6), T0.AddSeconds(6), T0.AddSeconds(12)], given.Take(7));
        // However it is asked, a whole window never holds more than the limit, and 30 go in the first minute.
        for (var i = 0; i < 200; i++) given.Add(RelaySchedule.Reserve(slots, T0, 30, window));
        Assert.Equal(30, given.Count(g => g < T0 + window));
        // A limit under ten messages is paced one at a time.
        var few = new List<long>();
        Assert.Equal(T0, RelaySchedule.Reserve(few, T0, 3, window));
        Assert.Equal(T0.AddSeconds(20), RelaySchedule.Reserve(few, T0.AddSeconds(1), 3, window));
        Assert.Equal(T0.AddSeconds(40), RelaySchedule.Reserve(few, T0.AddSeconds(2), 3, window));
        // A quiet relay sends at once again.
        Assert.Equal(T0.AddMinutes(5), RelaySchedule.Reserve(few, T0.AddMinutes(5), 3, window));
    }

    [Fact]
    public void Without_a_limit_every_slot_is_now()
    {
        var slots = new List<long>();
        for (var i = 0; i < 100; i++) Assert.Equal(T0, RelaySchedule.Reserve(slots, T0, 0, TimeSpan.FromMinutes(1)));
        Assert.Empty(slots);
    }
}
