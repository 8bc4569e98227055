using Alerts.Grains.Policies;

namespace Alerts.Tests.Policies;

public sealed class RecentEventIdsTests
{
    [Fact]
    public void An_id_is_new_once()
    {
        var seen = new RecentEventIds();
        Assert.True(seen.TryAdd("a", 10));
        Assert.False(seen.TryAdd("a", 10));
        Assert.True(seen.TryAdd("b", 10));
        Assert.True(seen.Contains("a"));
        Assert.False(seen.Contains("c"));
    }

    [Fact]
    public void Only_the_latest_ids_up_to_the_capacity_are_remembered()
    {
        var seen = new RecentEventIds();
        for (var i = 0; i < 5; i++) Assert.True(seen.TryAdd($"id-{i}", 3));
        Assert.False(seen.Contains("id-0"));
        Assert.False(seen.Contains("id-1"));
        Assert.True(seen.Contains("id-2"));
        Assert.True(seen.Contains("id-4"));
        Assert.True(seen.TryAdd("id-0", 3));
    }

    [Fact]
    public void A_copy_made_from_its_stored_fields_remembers_the_same_ids()
    {
        var seen = new RecentEventIds();
        for (var i = 0; i < 7; i++) seen.TryAdd($"id-{i}", 5);
        var reloaded = new RecentEventIds { Hashes = seen.Hashes.ToArray(), Next = seen.Next, Count = seen.Count };
        Assert.False(reloaded.TryAdd("id-6", 5));
        Assert.False(reloaded.TryAdd("id-2", 5));
        Assert.True(reloaded.TryAdd("id-1", 5));
    }

    [Fact]
    public void Shrinking_the_capacity_keeps_the_newest()
    {
        var seen = new RecentEventIds();
        for (var i = 0; i < 10; i++) seen.TryAdd($"id-{i}", 10);
        seen.TryAdd("id-10", 4);
        Assert.Equal(4, seen.Count);
        Assert.True(seen.Contains("id-8"));
        Assert.True(seen.Contains("id-10"));
        Assert.False(seen.Contains("id-6"));
    }
}
