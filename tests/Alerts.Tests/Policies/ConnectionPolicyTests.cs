using Alerts.Contracts;
using Alerts.Grains.Connections;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Tests.Policies;

/// <summary>SPEC §4: when a connection's followers are told it went offline or came back.</summary>
public sealed class ConnectionPolicyTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private ConnectionView _connection = ConnectionPolicy.Created("db", new ConnectionProfile("Main DB", ["crm"]));
    private readonly List<(bool Online, DateTimeOffset At)> _notices = [];

    private void Report(bool online)
    {
        (_connection, var notify) = ConnectionPolicy.Report(_connection, online, _clock.GetUtcNow(), Hold);
        if (notify) _notices.Add((online, _clock.GetUtcNow()));
    }

    /// <summary>What the hold reminder does when it fires.</summary>
    private void Tick()
    {
        (_connection, var notify) = ConnectionPolicy.HoldEnded(_connection, _clock.GetUtcNow(), Hold);
        if (notify) _notices.Add((_connection.Online, _clock.GetUtcNow()));
    }

    private void Wait(double minutes)
    {
        _clock.Advance(TimeSpan.FromMinutes(minutes));
        Tick();
    }

    [Fact]
    public void The_first_change_is_told_at_once()
    {
        var start = _clock.GetUtcNow();
        Report(online: false);
        Assert.Equal([(false, start)], _notices);
        Assert.Equal(start + Hold, _connection.HoldUntil);
    }

    [Fact]
    public void Offline_then_online_after_a_quiet_period_are_two_notices()
    {
        Report(online: false);
        Wait(6);
        Report(online: true);
        Assert.Equal([false, true], _notices.Select(n => n.Online));
    }

    [Fact]
    public void Back_online_within_the_hold_is_told_once_the_hold_ends()
    {
        var start = _clock.GetUtcNow();
        Report(online: false);
        Wait(1);
        Report(online: true);
        Assert.Single(_notices);
        Wait(3.9);
        Assert.Single(_notices);
        Wait(0.1);
        Assert.Equal([(false, start), (true, start + Hold)], _notices);
    }

    [Fact]
    public void Flapping_back_to_the_state_last_told_sends_nothing_more()
    {
        Report(online: false);
        for (var i = 0; i < 4; i++)
        {
            Wait(0.5);
            Report(online: true);
            Wait(0.5);
            Report(online: false);
        }
        Wait(5);
        Assert.Equal([false], _notices.Select(n => n.Online));
        Assert.Null(_connection.HoldUntil);
    }

    [Fact]
    public void Flapping_for_long_sends_one_notice_per_hold_with_the_final_state()
    {
        Report(online: false);
        Wait(2);
        Report(online: true);
        Wait(3); // hold ends online: told, and a new hold starts
        Wait(1);
        Report(online: false);
        Wait(1);
        Report(online: true);
        Wait(1);
        Report(online: false);
        Wait(2); // second hold ends offline: told
        Assert.Equal([false, true, false], _notices.Select(n => n.Online));
    }

    [Fact]
    public void Repeating_the_current_state_changes_nothing()
    {
        Report(online: true);
        Assert.Empty(_notices);
        Report(online: false);
        var afterFirst = _connection;
        Report(online: false);
        Assert.Same(afterFirst, _connection);
        Assert.Single(_notices);
    }

    [Fact]
    public void Each_notice_has_its_own_number_so_deciding_it_again_gives_the_same_id()
    {
        Report(online: false);
        Assert.Equal(1, _connection.Notices);
        Wait(6);
        Report(online: true);
        Assert.Equal(2, _connection.Notices);
    }
}
