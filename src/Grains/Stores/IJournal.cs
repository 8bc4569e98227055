namespace Alerts.Grains.Stores;

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
