using Alerts.Contracts;
using Alerts.Grains.Mutes;

namespace Alerts.Tests.Policies;

/// <summary>When a mute is in force (issue 22, item 2), pure: one window, weekly windows in a time zone, early ends, the rules.</summary>
public sealed class MuteScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero); // a Friday

    private static MuteSpec Once(DateTimeOffset start, DateTimeOffset end) => new("organization", start, end, null, "migration");

    private static MuteSpec Weekly(DayOfWeek day, string start, string end, DateTimeOffset? from = null, DateTimeOffset? until = null) =>
        new("outgoing", from, until, new WeeklyWindow([day], TimeOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
            TimeOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), "Europe/Berlin"), "nightly batch");

    [Fact]
    public void A_one_off_window_is_in_force_from_its_start_to_its_end_or_its_early_end()
    {
        var spec = Once(T0, T0.AddHours(2));
        Assert.Null(MuteSchedule.Current(spec, null, T0.AddTicks(-1)));
        Assert.Equal(T0, MuteSchedule.NextStart(spec, null, T0.AddMinutes(-5)));
        Assert.Equal((T0, T0.AddHours(2)), MuteSchedule.Current(spec, null, T0.AddHours(1)));
        Assert.Null(MuteSchedule.Current(spec, null, T0.AddHours(2)));
        Assert.Equal(T0.AddHours(2), MuteSchedule.NextBoundary(spec, null, T0.AddMinutes(1)));

        // Ended early at +30 min: over from then on.
        var ended = T0.AddMinutes(30);
        Assert.Equal((T0, ended), MuteSchedule.Current(spec, ended, T0.AddMinutes(10)));
        Assert.Null(MuteSchedule.Current(spec, ended, T0.AddMinutes(40)));
        Assert.True(MuteSchedule.Over(spec, ended, T0.AddMinutes(40)));
        Assert.False(MuteSchedule.Over(spec, null, T0.AddMinutes(40)));
    }

    [Fact]
    public void A_weekly_window_past_midnight_follows_the_local_clock_of_its_time_zone()
    {
        // Saturdays 22:00 to 02:00 in Berlin (UTC+1 in December): 21:00Z Saturday to 01:00Z Sunday.
        var spec = Weekly(DayOfWeek.Saturday, "22:00", "02:00");
        var saturday = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(MuteSchedule.Current(spec, null, saturday.AddHours(20.5)));
        Assert.Equal(saturday.AddHours(21), MuteSchedule.NextStart(spec, null, saturday.AddHours(20.5)));
        Assert.Equal((saturday.AddHours(21), saturday.AddHours(25)), MuteSchedule.Current(spec, null, saturday.AddHours(24.5)));
        Assert.Null(MuteSchedule.Current(spec, null, saturday.AddHours(25)));
        Assert.Equal(saturday.AddDays(7).AddHours(21), MuteSchedule.NextStart(spec, null, saturday.AddHours(25)));
        Assert.False(MuteSchedule.Over(spec, null, saturday.AddYears(1)));
    }

    [Fact]
    public void A_weekly_window_keeps_its_local_time_across_a_daylight_saving_change_and_a_skipped_start_moves_an_hour_later()
    {
        // Sundays 01:00–04:00 in Berlin. On 2027-03-28 clocks go from 02:00 to 03:00 (UTC+1 to UTC+2).
        var spec = Weekly(DayOfWeek.Sunday, "01:00", "04:00");
        var before = new DateTimeOffset(2027, 3, 21, 0, 30, 0, TimeSpan.Zero);
        Assert.Equal((new DateTimeOffset(2027, 3, 21, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 21, 3, 0, 0, TimeSpan.Zero)),
            MuteSchedule.Current(spec, null, before));
        var change = new DateTimeOffset(2027, 3, 28, 0, 30, 0, TimeSpan.Zero);
        Assert.Equal((new DateTimeOffset(2027, 3, 28, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 28, 2, 0, 0, TimeSpan.Zero)),
            MuteSchedule.Current(spec, null, change));

        // 02:30 does not exist that night: a window starting then starts at 03:30 local, 01:30Z.
        var skipped = Weekly(DayOfWeek.Sunday, "02:30", "05:00");
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 1, 30, 0, TimeSpan.Zero), MuteSchedule.NextStart(skipped, null, change));
    }

    [Fact]
    public void A_weekly_window_is_clipped_to_its_bounds()
    {
        var saturday = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
        var spec = Weekly(DayOfWeek.Saturday, "22:00", "02:00", from: saturday.AddHours(22), until: saturday.AddHours(24));
        Assert.Equal((saturday.AddHours(22), saturday.AddHours(24)), MuteSchedule.Current(spec, null, saturday.AddHours(23)));
        Assert.Null(MuteSchedule.NextStart(spec, null, saturday.AddHours(24)));
        Assert.True(MuteSchedule.Over(spec, null, saturday.AddHours(24)));
    }

    [Theory]
    [InlineData("everything", "reason ok", "scope")]
    [InlineData("integration:crm", "reason ok", "scope")] // not an integration of the organization
    [InlineData("integration:bad id", "reason ok", "scope")]
    [InlineData("outgoing", "  ", "reason")]
    public void A_bad_scope_or_reason_is_refused_naming_the_field(string scope, string reason, string field)
    {
        var problem = MuteRules.Check(new MuteSpec(scope, T0, T0.AddHours(1), null, reason), T0, _ => false);
        Assert.Equal(field, problem?.Field);
    }

    [Fact]
    public void Times_are_checked()
    {
        Assert.Null(MuteRules.Check(Once(T0, T0.AddHours(1)), T0, _ => true));
        Assert.Equal("ends_at", MuteRules.Check(Once(T0, T0), T0, _ => true)?.Field);
        Assert.Equal("ends_at", MuteRules.Check(Once(T0.AddHours(-2), T0.AddHours(-1)), T0, _ => true)?.Field);
        Assert.Equal("ends_at", MuteRules.Check(Once(T0, T0.AddDays(400)), T0, _ => true)?.Field);
        Assert.Equal("ends_at", MuteRules.Check(new MuteSpec("organization", T0, null, null, "x"), T0, _ => true)?.Field);
        Assert.Equal("weekly.time_zone", MuteRules.Check(new MuteSpec("organization", null, null,
            new WeeklyWindow([DayOfWeek.Monday], new TimeOnly(1, 0), new TimeOnly(2, 0), "Mars/Olympus"), "x"), T0, _ => true)?.Field);
        Assert.Equal("weekly.days", MuteRules.Check(new MuteSpec("organization", null, null,
            new WeeklyWindow([], new TimeOnly(1, 0), new TimeOnly(2, 0), "UTC"), "x"), T0, _ => true)?.Field);
        Assert.True(MuteRules.CoversDirection("organization", Direction.Incoming) && MuteRules.CoversDirection("outgoing", Direction.Outgoing));
        Assert.False(MuteRules.CoversDirection("incoming", Direction.Outgoing));
        Assert.True(MuteRules.CoversConnection("connection:db", "db") && !MuteRules.CoversConnection("connection:db", "queue"));
    }
}
