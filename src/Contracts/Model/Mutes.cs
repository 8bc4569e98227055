namespace Alerts.Contracts;

/// <summary>
/// A weekly mute window (issue 22, item 2): on each of <see cref="Days"/>, from <see cref="Start"/> to <see cref="End"/>
/// local time in <see cref="TimeZone"/> (an IANA name); an end at or before the start runs past midnight.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.weekly-window")]
public sealed record WeeklyWindow(
    [property: Id(0)] IReadOnlyList<DayOfWeek> Days,
    [property: Id(1)] TimeOnly Start,
    [property: Id(2)] TimeOnly End,
    [property: Id(3)] string TimeZone);

/// <summary>
/// What a mute silences and when. <see cref="Scope"/>: <c>organization</c>, <c>outgoing</c>, <c>incoming</c>,
/// <c>integration:{id}</c> or <c>connection:{id}</c>. Either one window (<see cref="StartsAt"/> to
/// <see cref="EndsAt"/>) or a <see cref="Weekly"/> one, optionally from <see cref="StartsAt"/> until <see cref="EndsAt"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.mute-spec")]
public sealed record MuteSpec(
    [property: Id(0)] string Scope,
    [property: Id(1)] DateTimeOffset? StartsAt,
    [property: Id(2)] DateTimeOffset? EndsAt,
    [property: Id(3)] WeeklyWindow? Weekly,
    [property: Id(4)] string Reason);

/// <summary>A change to a mute: null leaves a field as it is.</summary>
[GenerateSerializer, Immutable, Alias("alerts.mute-patch")]
public sealed record MutePatch(
    [property: Id(0)] DateTimeOffset? StartsAt = null,
    [property: Id(1)] DateTimeOffset? EndsAt = null,
    [property: Id(2)] string? Reason = null);

/// <summary>One line of a mute's audit trail: who did what, when.</summary>
[GenerateSerializer, Immutable, Alias("alerts.mute-audit")]
public sealed record MuteAudit(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string By,
    [property: Id(2)] string Action,
    [property: Id(3)] string Detail);

[GenerateSerializer, Immutable, Alias("alerts.mute-view")]
public sealed record MuteView(
    [property: Id(0)] string Id,
    [property: Id(1)] MuteSpec Spec,
    [property: Id(2)] string CreatedBy,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? EndedAt,
    [property: Id(5)] string? EndedBy,
    [property: Id(6)] IReadOnlyList<MuteAudit> Audit,
    [property: Id(7)] bool ActiveNow,
    [property: Id(8)] DateTimeOffset? ActiveUntil,
    [property: Id(9)] DateTimeOffset? NextStart);
