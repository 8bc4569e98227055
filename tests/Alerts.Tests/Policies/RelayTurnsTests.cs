using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;

namespace Alerts.Tests.Policies;

/// <summary>
/// SPEC §8 fairness at the relay, as a simulation on explicit time: passes ask for turns the way the delivery worker
/// does (sleep until the time given, ask again; after a granted turn, send for 50 ms and ask for the next), the relay
/// schedule and <see cref="RelayTurns"/> answer the way the relay limit grain does.
/// </summary>
public sealed class RelayTurnsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private sealed class Pass(string id, string org, int messages, int priority = RelayPriority.Alert, DateTimeOffset? since = null)
    {
        public string Id { get; } = id;
        public string Org { get; } = org;
        public int Messages { get; } = messages;
        public int Priority { get; } = priority;
        public DateTimeOffset Since { get; } = since ?? T0;
        public List<DateTimeOffset> Sent { get; } = [];
        public DateTimeOffset? DiesAt { get; init; }
        public int Asks { get; set; }
    }

    private sealed class Relay(int limit, TimeSpan window)
    {
        private readonly List<long> _slots = [];
        private readonly RelayTurns _turns = new();
        private readonly PriorityQueue<Pass, DateTimeOffset> _asks = new();
        public List<(DateTimeOffset At, Pass Pass)> Log { get; } = [];

        public void Start(Pass pass, DateTimeOffset at) => _asks.Enqueue(pass, at);

        public void RunUntil(DateTimeOffset end)
        {
            while (_asks.TryPeek(out _, out var at) && at <= end)
            {
                var pass = _asks.Dequeue();
                if (pass.DiesAt <= at) continue;
                pass.Asks++;
                var next = RelaySchedule.Next(_slots, at, limit, window);
                var turn = _turns.Ask(new RelayTicket(pass.Id, pass.Org, pass.Priority, pass.Since, More: pass.Sent.Count + 1 < pass.Messages), at, next, RelaySchedule.Spacing(limit, window));
                Assert.True(turn.At >= at, "a turn is never in the past");
                if (!turn.Granted)
                {
                    _asks.Enqueue(pass, turn.At);
                    continue;
                }
                RelaySchedule.Take(_slots, turn.At, limit);
                pass.Sent.Add(turn.At);
                Log.Add((turn.At, pass));
                if (pass.Sent.Count < pass.Messages) _asks.Enqueue(pass, turn.At + TimeSpan.FromMilliseconds(50));
            }
        }

        /// <summary>Every window of the relay holds at most the limit.</summary>
        public void AssertLimitKept()
        {
            var times = Log.Select(l => l.At).Order().ToList();
            for (var i = limit; i < times.Count; i++)
                Assert.True(times[i] - times[i - limit] >= window, $"messages {i - limit} and {i} are {times[i] - times[i - limit]} apart");
        }
    }

    [Fact]
    public void A_one_recipient_alert_of_another_tenant_goes_out_within_15_s_while_a_200_recipient_one_drains()
    {
        var relay = new Relay(30, Minute);
        var large = new Pass("a-1", "tenant-a", 200);
        var small = new Pass("b-1", "tenant-b", 1);
        relay.Start(large, T0);
        relay.Start(small, T0.AddSeconds(3));
        relay.RunUntil(T0.AddMinutes(10));

        Assert.Single(small.Sent);
        Assert.InRange(small.Sent[0] - T0.AddSeconds(3), TimeSpan.Zero, TimeSpan.FromSeconds(15));
        // The large alert reaches each recipient once, at the relay's pace: about 200 × 2 s.
        Assert.Equal(200, large.Sent.Count);
        Assert.InRange(large.Sent[^1] - T0, TimeSpan.FromSeconds(390), TimeSpan.FromSeconds(405));
        relay.AssertLimitKept();
    }

    [Fact]
    public void Alone_a_tenant_gets_the_whole_relay()
    {
        var relay = new Relay(30, Minute);
        var alone = new Pass("a-1", "tenant-a", 90);
        relay.Start(alone, T0);
        relay.RunUntil(T0.AddMinutes(10));
        Assert.Equal(90, alone.Sent.Count);
        // 30 a minute from the first message: the 90th goes in the third minute, not later.
        Assert.InRange(alone.Sent[^1] - T0, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));
        relay.AssertLimitKept();
        // Asking is cheap: about one call per message, two at most.
        Assert.InRange(alone.Asks, 90, 180);
    }

    [Fact]
    public void Many_passes_of_one_tenant_count_as_one_in_the_rounds()
    {
        var relay = new Relay(30, Minute);
        var burst = Enumerable.Range(0, 10).Select(i => new Pass($"a-{i}", "tenant-a", 20, RelayPriority.Bulk, T0.AddMilliseconds(i))).ToList();
        foreach (var pass in burst) relay.Start(pass, T0);
        var small = new Pass("b-1", "tenant-b", 1, RelayPriority.Bulk, T0.AddSeconds(5));
        relay.Start(small, T0.AddSeconds(5));
        relay.RunUntil(T0.AddMinutes(10));
        Assert.InRange(small.Sent[0] - T0.AddSeconds(5), TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Assert.All(burst, pass => Assert.Equal(20, pass.Sent.Count));
        // Within the tenant, the oldest notification goes first: each pass ends before a younger one starts.
        for (var i = 1; i < burst.Count; i++) Assert.True(burst[i - 1].Sent[^1] <= burst[i].Sent[0], $"pass {i} started before pass {i - 1} ended");
        relay.AssertLimitKept();
    }

    [Fact]
    public void Tenants_take_turns()
    {
        var relay = new Relay(30, Minute);
        var tenants = Enumerable.Range(0, 3).Select(i => new Pass($"p-{i}", $"tenant-{i}", 60)).ToList();
        foreach (var tenant in tenants) relay.Start(tenant, T0);
        relay.RunUntil(T0.AddMinutes(10));
        var first30 = relay.Log.OrderBy(l => l.At).Take(30).ToList();
        Assert.All(tenants, tenant => Assert.InRange(first30.Count(l => l.Pass == tenant), 9, 11));
        Assert.All(tenants, tenant => Assert.Equal(60, tenant.Sent.Count));
        relay.AssertLimitKept();
    }

    [Fact]
    public void Alerts_go_before_digests_and_platform_event_copies()
    {
        var relay = new Relay(30, Minute);
        var digests = Enumerable.Range(0, 20).Select(i => new Pass($"d-{i}", $"digest-org-{i}", 5, RelayPriority.Bulk)).ToList();
        foreach (var digest in digests) relay.Start(digest, T0);
        var alert = new Pass("alert", "alerting-org", 3, RelayPriority.Alert, T0.AddSeconds(20));
        relay.Start(alert, T0.AddSeconds(20));
        relay.RunUntil(T0.AddMinutes(10));
        // Its three messages take the next three slots, ahead of the 100 digests waiting.
        var after = relay.Log.Where(l => l.At >= T0.AddSeconds(20)).OrderBy(l => l.At).Take(4).ToList();
        Assert.Equal(3, after.Count(l => l.Pass == alert));
        Assert.InRange(alert.Sent[^1] - T0.AddSeconds(20), TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.All(digests, digest => Assert.Equal(5, digest.Sent.Count));
    }

    [Fact]
    public void A_waiter_that_stops_asking_holds_nobody_back_for_long()
    {
        var relay = new Relay(30, Minute);
        var large = new Pass("a-1", "tenant-a", 200);
        // Its silo dies while it waits for its next turn.
        var dead = new Pass("dead", "tenant-dead", 50) { DiesAt = T0.AddSeconds(10) };
        var small = new Pass("b-1", "tenant-b", 1, since: T0.AddSeconds(11));
        relay.Start(large, T0);
        relay.Start(dead, T0);
        relay.Start(small, T0.AddSeconds(11));
        relay.RunUntil(T0.AddMinutes(10));
        Assert.InRange(small.Sent[0] - T0.AddSeconds(11), TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Assert.Equal(200, large.Sent.Count);
        // The relay was not left idle: the large alert finished about when it would have with only the small one beside it.
        Assert.InRange(large.Sent[^1] - T0, TimeSpan.FromSeconds(390), TimeSpan.FromSeconds(430));
        relay.AssertLimitKept();
    }

    [Fact]
    public void Kinds_map_to_priorities()
    {
        Assert.Equal(RelayPriority.Alert, RelayPriority.Of(NotificationKind.ThresholdExceeded));
        Assert.Equal(RelayPriority.Alert, RelayPriority.Of(NotificationKind.ConnectionChanged));
        Assert.Equal(RelayPriority.Alert, RelayPriority.Of(NotificationKind.WebhookDisabled));
        Assert.Equal(RelayPriority.Bulk, RelayPriority.Of(NotificationKind.Digest));
        Assert.Equal(RelayPriority.Bulk, RelayPriority.Of(NotificationKind.PlatformEvent));
    }
}
