namespace Alerts.Grains.Intake;

/// <summary>
/// An append-only, durable log of commits per stream (an organization's reports). A grain's state is its last
/// snapshot plus the commits after the snapshot's position: appending a commit is what acknowledges a report.
/// </summary>
public interface IJournal
{
    /// <summary>
    /// Appends commits with ascending sequences after every stored one. Each commit is all or nothing (a reader never
    /// sees part of one). Throws <see cref="JournalConflictException"/> when a sequence is taken: another writer owns
    /// the stream (a second activation), and this one must stop and reload.
    /// </summary>
    Task AppendAsync(string stream, IReadOnlyList<JournalCommit> commits, CancellationToken cancellationToken = default);

    /// <summary>
    /// The complete commits after <paramref name="afterSequence"/>, ascending, and the highest sequence found at all
    /// (a commit cut short by a crash is skipped, but its sequence is not reused).
    /// </summary>
    Task<JournalTail> ReadAfterAsync(string stream, long afterSequence, CancellationToken cancellationToken = default);

    /// <summary>The de-duplication keys of the commits at or below <paramref name="throughSequence"/> written since <paramref name="since"/>.</summary>
    IAsyncEnumerable<JournalKeys> ReadKeysAsync(string stream, long throughSequence, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Deletes the commits at or below <paramref name="throughSequence"/> written before <paramref name="writtenBefore"/>.</summary>
    Task TrimAsync(string stream, long throughSequence, DateTimeOffset writtenBefore, CancellationToken cancellationToken = default);
}

/// <summary>One commit: many reports of many callers, written together. <see cref="Keys"/> are 8-byte de-duplication keys.</summary>
public sealed record JournalCommit(long Sequence, DateTimeOffset WrittenAt, ReadOnlyMemory<byte> Payload, ReadOnlyMemory<byte> Keys);

public sealed record JournalKeys(DateTimeOffset WrittenAt, ReadOnlyMemory<byte> Keys);

public sealed record JournalTail(IReadOnlyList<JournalCommit> Commits, long LastSequence);

public sealed class JournalConflictException(string message, Exception? inner = null) : Exception(message, inner);

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
