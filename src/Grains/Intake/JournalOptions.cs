namespace Alerts.Grains.Intake;

/// <summary>Configuration section <c>Alerts:Journal</c>.</summary>
public sealed class JournalOptions
{
    public const string Section = "Alerts:Journal";

    /// <summary>How long an event id is remembered per integration: a report repeated within it counts once.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Event ids remembered per organization at most (about 30 bytes each in memory). Past it the oldest are
    /// forgotten early and a warning is logged: 4 million is an hour at 1,100 reports a second.
    /// </summary>
    public int MaxRememberedIds { get; set; } = 4_000_000;

    /// <summary>A snapshot is written after this many commits since the last one...</summary>
    public int SnapshotEveryCommits { get; set; } = 2_000;

    /// <summary>...or this long after the first commit it does not hold, whichever comes first.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Commits one organization writes at once at most. Everything arriving while they are written waits and goes in the
    /// next. A commit beyond the first starts only when at least <see cref="ReportsToOverlapCommits"/> reports wait: many
    /// small requests make fuller commits (fewer storage writes per report), large batches still overlap their writes.
    /// </summary>
    public int CommitsInFlight { get; set; } = 2;

    /// <summary>Reports waiting that justify writing a commit while another is being written (see <see cref="CommitsInFlight"/>).</summary>
    public int ReportsToOverlapCommits { get; set; } = 1_000;

    /// <summary>A commit takes whole waiting batches up to about this many reports...</summary>
    public int MaxReportsPerCommit { get; set; } = 8_000;

    /// <summary>...and about this many bytes of encoded reports.</summary>
    public int MaxCommitBytes { get; set; } = 2 * 1024 * 1024;
}
