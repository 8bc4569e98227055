using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Alerts.Silo.Notify.Delivery;

namespace Alerts.Tests.Delivery;

/// <summary>The silo's places for delivery passes: given to alerts first, to organizations in turn, never all to one.</summary>
public sealed class PassGateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_freed_place_goes_to_a_waiting_alert_before_digests_queued_earlier()
    {
        var gate = new PassGate(places: 2, perOrganization: 2);
        await gate.EnterAsync("busy-1", RelayPriority.Bulk, T0, CancellationToken.None);
        await gate.EnterAsync("busy-2", RelayPriority.Bulk, T0, CancellationToken.None);
        var digests = Enumerable.Range(0, 50).Select(i => gate.EnterAsync($"digest-{i}", RelayPriority.Bulk, T0, CancellationToken.None)).ToList();
        var alert = gate.EnterAsync("alerting", RelayPriority.Alert, T0.AddMinutes(1), CancellationToken.None);
        Assert.False(alert.IsCompleted);

        gate.Leave("busy-1");
        await alert.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.All(digests, d => Assert.False(d.IsCompleted));
        Assert.Equal(2, gate.Running);

        // Then the digests, in turn, as places free.
        gate.Leave("busy-2");
        await digests[0].WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, digests.Count(d => d.IsCompleted));
    }

    [Fact]
    public async Task No_organization_holds_more_than_its_share_while_others_wait()
    {
        var gate = new PassGate(places: 4, perOrganization: 2);
        var burst = Enumerable.Range(0, 10).Select(i => gate.EnterAsync("noisy", RelayPriority.Bulk, T0.AddSeconds(i), CancellationToken.None)).ToList();
        await Task.WhenAll(burst.Take(2)).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, burst.Count(b => b.IsCompleted));
        Assert.Equal(2, gate.Running);

        // Others find the remaining places at once.
        await gate.EnterAsync("quiet-1", RelayPriority.Bulk, T0, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        await gate.EnterAsync("quiet-2", RelayPriority.Bulk, T0, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        // A place the noisy organization gives back goes to its next (oldest) pass.
        gate.Leave("noisy");
        await burst[2].WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, burst.Count(b => b.IsCompleted));
    }

    [Fact]
    public async Task Organizations_take_turns_and_within_one_the_oldest_goes_first()
    {
        var gate = new PassGate(places: 1, perOrganization: 1);
        await gate.EnterAsync("holder", RelayPriority.Alert, T0, CancellationToken.None);
        var order = new List<string>();
        var waits = new List<Task>();
        foreach (var (org, second) in new[] { ("a", 3), ("a", 1), ("a", 2), ("b", 5), ("c", 4) })
        {
            var name = $"{org}{second}";
            waits.Add(gate.EnterAsync(org, RelayPriority.Alert, T0.AddSeconds(second), CancellationToken.None)
                .ContinueWith(_ => { lock (order) order.Add(name); gate.Leave(org); }, TaskScheduler.Default));
        }
        gate.Leave("holder");
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["a1", "b5", "c4", "a2", "a3"], order);
    }

    [Fact]
    public async Task A_cancelled_wait_takes_no_place()
    {
        var gate = new PassGate(places: 1, perOrganization: 1);
        await gate.EnterAsync("holder", RelayPriority.Alert, T0, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var cancelled = gate.EnterAsync("gone", RelayPriority.Alert, T0, stop.Token);
        var next = gate.EnterAsync("next", RelayPriority.Bulk, T0, CancellationToken.None);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Leave("holder");
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, gate.Running);
    }
}
