using Alerts.Grains.Intake;
using Alerts.Grains.Stores;
using Alerts.Storage.AzureTable;
using Alerts.Storage.Memory;
using Azure.Data.Tables;

namespace Alerts.IntegrationTests.Storage;

[Collection(AzuriteTests.Name)]
public sealed class JournalTableTests(AzuriteFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private TableClient _table = null!;

    private async Task<AzureTableJournal> JournalAsync()
    {
        _table = new TableServiceClient(fixture.Azurite.ConnectionString).GetTableClient(AzuriteFixture.UniqueTable("journal"));
        var journal = new AzureTableJournal(_table);
        await journal.InitializeAsync(CancellationToken.None);
        return journal;
    }

    private static JournalCommit Commit(long sequence, int payloadBytes, DateTimeOffset? at = null, int keys = 3)
    {
        var payload = new byte[payloadBytes];
        new Random((int)sequence).NextBytes(payload);
        var keyBytes = new byte[keys * 8];
        BitConverter.TryWriteBytes(keyBytes, sequence);
        return new JournalCommit(sequence, at ?? T0.AddSeconds(sequence), payload, keyBytes);
    }

    [Fact]
    public async Task Commits_round_trip_in_order_after_a_position()
    {
        var journal = await JournalAsync();
        await journal.AppendAsync("org/acme", [Commit(1, 100), Commit(2, 5000)]);
        await journal.AppendAsync("org/acme", [Commit(3, 10)]);
        await journal.AppendAsync("org/globex", [Commit(1, 7)]);

        var tail = await journal.ReadAfterAsync("org/acme", 1);
        Assert.Equal([2L, 3L], tail.Commits.Select(c => c.Sequence));
        Assert.Equal(3, tail.LastSequence);
        Assert.Equal(Commit(2, 5000).Payload.ToArray(), tail.Commits[0].Payload.ToArray());
        Assert.Equal(Commit(2, 5000).Keys.ToArray(), tail.Commits[0].Keys.ToArray());
        Assert.Equal(T0.AddSeconds(2), tail.Commits[0].WrittenAt);
        Assert.Single((await journal.ReadAfterAsync("org/globex", 0)).Commits);
    }

    [Fact]
    public async Task A_second_writer_of_a_sequence_is_refused_and_changes_nothing()
    {
        var journal = await JournalAsync();
        await journal.AppendAsync("org/acme", [Commit(1, 100)]);
        await Assert.ThrowsAsync<JournalConflictException>(() => journal.AppendAsync("org/acme", [Commit(1, 200)]));
        await Assert.ThrowsAsync<JournalConflictException>(() => journal.AppendAsync("org/acme", [Commit(1, 3_000_000)]));
        Assert.Equal(100, Assert.Single((await journal.ReadAfterAsync("org/acme", 0)).Commits).Payload.Length);
    }

    [Fact]
    public async Task A_commit_larger_than_a_row_is_split_and_read_back_whole()
    {
        var journal = await JournalAsync();
        var big = Commit(1, 3 * AzureTableJournal.PartBytes + 17);
        await journal.AppendAsync("org/acme", [big, Commit(2, 10)]);
        var tail = await journal.ReadAfterAsync("org/acme", 0);
        Assert.Equal(big.Payload.ToArray(), tail.Commits[0].Payload.ToArray());
        Assert.Equal(4, _table.Query<TableEntity>(e => e.PartitionKey == "org%2Facme" && e.RowKey.CompareTo("0000000000000000002") < 0).Count());
    }

    [Fact]
    public async Task A_commit_cut_short_by_a_crash_is_skipped_but_its_sequence_is_not_reused()
    {
        var journal = await JournalAsync();
        await journal.AppendAsync("org/acme", [Commit(1, 10)]);
        // Only the first of the three rows of commit 2 reached storage.
        var rows = AzureTableJournal.Rows("org%2Facme", Commit(2, 2 * AzureTableJournal.PartBytes + 1));
        await _table.AddEntityAsync(rows[0]);

        var tail = await journal.ReadAfterAsync("org/acme", 0);
        Assert.Equal([1L], tail.Commits.Select(c => c.Sequence));
        Assert.Equal(2, tail.LastSequence);
        // Its ids counted nothing, so they are not remembered either.
        Assert.Single(await journal.ReadKeysAsync("org/acme", 5, T0.AddDays(-1)).ToListAsync());
        await journal.AppendAsync("org/acme", [Commit(3, 10)]);
        Assert.Equal([1L, 3L], (await journal.ReadAfterAsync("org/acme", 0)).Commits.Select(c => c.Sequence));
    }

    [Fact]
    public async Task Keys_are_read_for_the_window_and_trimming_keeps_what_is_newer()
    {
        var journal = await JournalAsync();
        for (var i = 1; i <= 6; i++) await journal.AppendAsync("org/acme", [Commit(i, 10, T0.AddMinutes(10 * i))]);

        var keys = await journal.ReadKeysAsync("org/acme", 5, T0.AddMinutes(30)).ToListAsync();
        Assert.Equal([T0.AddMinutes(30), T0.AddMinutes(40), T0.AddMinutes(50)], keys.Select(k => k.WrittenAt));
        Assert.Equal(Commit(4, 10).Keys.ToArray(), keys[1].Keys.ToArray());

        await journal.TrimAsync("org/acme", 5, T0.AddMinutes(35));
        Assert.Equal([4L, 5L, 6L], (await journal.ReadAfterAsync("org/acme", 0)).Commits.Select(c => c.Sequence));
    }
}
