using System.Runtime.CompilerServices;
using Alerts.Grains.Intake;
using Alerts.Grains.Stores;

namespace Alerts.Storage.Memory;

/// <summary>
/// The journal in process memory, for the unit tests and the memory benchmark (<c>Alerts:Storage:Provider = Memory</c>).
/// It outlives grain activations, so a test can deactivate a grain and watch it replay.
/// </summary>
public sealed class MemoryJournal : IJournal
{
    private readonly Dictionary<string, SortedDictionary<long, JournalCommit>> _streams = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private readonly Dictionary<string, int> _largest = new(StringComparer.Ordinal);

    /// <summary>The largest commit payload appended to a stream so far (tests check commits stay within their size bound).</summary>
    public int LargestPayload(string stream)
    {
        lock (_lock) return _largest.GetValueOrDefault(stream);
    }

    /// <summary>How long an append takes (tests set it to watch group commit; storage is never instant).</summary>
    public TimeSpan Latency { get; set; }

    public async Task AppendAsync(string stream, IReadOnlyList<JournalCommit> commits, CancellationToken cancellationToken = default)
    {
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency, cancellationToken);
        lock (_lock)
        {
            var commitsOf = Stream(stream);
            if (commits.FirstOrDefault(commit => commitsOf.ContainsKey(commit.Sequence)) is { } taken)
                throw new JournalConflictException($"journal {stream}: sequence {taken.Sequence} was written by another writer");
            foreach (var commit in commits)
            {
                commitsOf[commit.Sequence] = commit;
                _largest[stream] = Math.Max(_largest.GetValueOrDefault(stream), commit.Payload.Length);
            }
        }
    }

    public Task<JournalTail> ReadAfterAsync(string stream, long afterSequence, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var after = Stream(stream).Where(pair => pair.Key > afterSequence).Select(pair => pair.Value).ToList();
            return Task.FromResult(new JournalTail(after, after.Count > 0 ? after[^1].Sequence : afterSequence));
        }
    }

    public async IAsyncEnumerable<JournalKeys> ReadKeysAsync(
        string stream, long throughSequence, DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<JournalKeys> keys;
        lock (_lock)
        {
            keys = Stream(stream).Values
                .Where(commit => commit.Sequence <= throughSequence && commit.WrittenAt >= since)
                .Select(commit => new JournalKeys(commit.WrittenAt, commit.Keys))
                .ToList();
        }
        foreach (var key in keys)
        {
            await Task.Yield();
            yield return key;
        }
    }

    public Task TrimAsync(string stream, long throughSequence, DateTimeOffset writtenBefore, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var commitsOf = Stream(stream);
            foreach (var sequence in commitsOf.Values.Where(c => c.Sequence <= throughSequence && c.WrittenAt < writtenBefore).Select(c => c.Sequence).ToList())
                commitsOf.Remove(sequence);
        }
        return Task.CompletedTask;
    }

    /// <summary>How many commits a stream holds (tests check trimming with it).</summary>
    public int CountOf(string stream)
    {
        lock (_lock) return Stream(stream).Count;
    }

    private SortedDictionary<long, JournalCommit> Stream(string stream)
    {
        if (!_streams.TryGetValue(stream, out var commits)) _streams[stream] = commits = [];
        return commits;
    }
}
