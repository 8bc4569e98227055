using Alerts.Contracts;
using Alerts.Grains.Intake;
using Alerts.Grains.Stores;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Tests.Policies;

/// <summary>
/// Group commit's overlap rule, on <see cref="ReportJournal"/> alone with a journal whose writes wait until released:
/// small requests queue behind the commit being written and share the next; a large backlog overlaps its writes.
/// </summary>
public sealed class ReportJournalTests
{
    private sealed class GatedJournal : IJournal
    {
        public List<(JournalCommit Commit, TaskCompletionSource Written)> Writes { get; } = [];

        public Task AppendAsync(string stream, IReadOnlyList<JournalCommit> commits, CancellationToken cancellationToken = default)
        {
            var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Writes) Writes.Add((commits.Single(), written));
            return written.Task;
        }

        public int Count { get { lock (Writes) return Writes.Count; } }

        public void Release(int index) { lock (Writes) Writes[index].Written.SetResult(); }

        public Task<JournalTail> ReadAfterAsync(string stream, long afterSequence, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public IAsyncEnumerable<JournalKeys> ReadKeysAsync(string stream, long throughSequence, DateTimeOffset since, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task TrimAsync(string stream, long throughSequence, DateTimeOffset writtenBefore, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    private static List<Report> Reports(int count, string prefix) =>
        Enumerable.Range(0, count).Select(i => new Report("crm", new Attempt($"{prefix}-{i}", AttemptOutcome.Error, DateTimeOffset.UnixEpoch.AddDays(20_000)))).ToList();

    private static (ReportJournal Journal, GatedJournal Storage, List<int> Applied) Create(int overlapAt)
    {
        var storage = new GatedJournal();
        var applied = new List<int>();
        var options = new JournalOptions { CommitsInFlight = 2, ReportsToOverlapCommits = overlapAt };
        var journal = new ReportJournal(storage, "org/test", new FakeTimeProvider(), options,
            commit => { applied.Add(commit.Reports.Count); return null; }, _ => { });
        return (journal, storage, applied);
    }

    [Fact]
    public async Task Small_requests_wait_for_the_commit_being_written_and_share_the_next()
    {
        var (journal, storage, applied) = Create(overlapAt: 1_000);
        var first = journal.AppendAsync(Reports(1, "a"));
        await Eventually(() => storage.Count == 1);
        var queued = Enumerable.Range(0, 20).Select(i => journal.AppendAsync(Reports(1, $"b{i}"))).ToList();
        await Task.Delay(50);
        Assert.Equal(1, storage.Count);

        storage.Release(0);
        await first;
        await Eventually(() => storage.Count == 2);
        Assert.Equal(20 * 8, storage.Writes[1].Commit.Keys.Length);
        storage.Release(1);
        await Task.WhenAll(queued);
        Assert.Equal([1, 20], applied);
    }

    [Fact]
    public async Task A_large_backlog_overlaps_its_writes_and_commits_still_apply_in_order()
    {
        var (journal, storage, applied) = Create(overlapAt: 1_000);
        var first = journal.AppendAsync(Reports(1, "a"));
        await Eventually(() => storage.Count == 1);
        var large = journal.AppendAsync(Reports(1_000, "big"));
        await Eventually(() => storage.Count == 2);

        // The second write finishes first; it is applied (and answered) only after the first.
        storage.Release(1);
        await Task.Delay(50);
        Assert.False(large.IsCompleted);
        Assert.Empty(applied);
        storage.Release(0);
        await Task.WhenAll(first, large);
        Assert.Equal([1, 1_000], applied);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
