using Alerts.Contracts;

namespace Alerts.Grains.Integration;

/// <summary>
/// What an integration keeps: its profile and the totals, latest errors and error lifecycle its organization projects
/// onto it from the journal. Bounded: the latest errors are at most <see cref="RecentErrorsKept"/> details (each under
/// 13 KB: 260 KB in all); the lifecycle at most <see cref="Lifecycle.ErrorBook.MaxActive"/> + 1 active and
/// <see cref="Lifecycle.ErrorBook.MaxResolvedKept"/> resolved errors of under 2 KB each (600 KB in all; typically a few KB).
/// </summary>
[GenerateSerializer, Alias("alerts.integration-state")]
public sealed class IntegrationState
{
    /// <summary>How many of its latest errors an integration keeps for its own view.</summary>
    public const int RecentErrorsKept = 20;

    /// <summary>Null until the integration is registered.</summary>
    [Id(0)] public IntegrationProfile? Profile { get; set; }
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
    [Id(2)] public long Errors { get; set; }
    [Id(3)] public long Successes { get; set; }
    [Id(4)] public DateTimeOffset? LastErrorAt { get; set; }

    /// <summary>The latest errors, newest last, for a quick look (the full log is elsewhere).</summary>
    [Id(6)] public List<ErrorDetail> RecentErrors { get; set; } = [];

    /// <summary>The last journal commit of the organization applied here: a commit projected again is skipped.</summary>
    [Id(9)] public long AppliedThrough { get; set; }

    /// <summary>The integration's errors as their lifecycle tracks them (SPEC §3).</summary>
    [Id(10)] public Lifecycle.ErrorBook Book { get; set; } = new();

    /// <summary>Attempts per UTC day for the dashboard (SPEC §7), the last <see cref="Dashboard.DailyActivity.DaysKept"/> days.</summary>
    [Id(11)] public List<Dashboard.DayActivity> Days { get; set; } = [];
}
