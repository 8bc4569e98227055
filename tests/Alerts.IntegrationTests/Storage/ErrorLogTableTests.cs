using Alerts.Contracts;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using Alerts.Storage.AzureTable;
using Alerts.Storage.Memory;
using Azure.Data.Tables;

namespace Alerts.IntegrationTests.Storage;

[Collection(AzuriteTests.Name)]
public sealed class ErrorLogTableTests(AzuriteFixture fixture)
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 21, 23, 0, 0, TimeSpan.Zero);

    private async Task<AzureTableErrorLog> LogAsync()
    {
        var log = new AzureTableErrorLog(new TableServiceClient(fixture.Azurite.ConnectionString).GetTableClient(AzuriteFixture.UniqueTable("errors")));
        await log.InitializeAsync(CancellationToken.None);
        return log;
    }

    private static int _sequence;

    /// <summary>One journal commit's errors of one integration, as the organization projects them.</summary>
    private static LoggedBatch[] Batch(string integrationId, IEnumerable<ErrorDetail> errors, long? sequence = null) =>
        [new LoggedBatch(sequence ?? Interlocked.Increment(ref _sequence), errors.Select(e => new Report(integrationId,
            new Attempt(e.EventId, AttemptOutcome.Error, e.OccurredAt, e.StatusCode, e.Message, e.Flow, e.Service, e.TraceKey))).ToList())];

    private static ErrorDetail Error(int i) =>
        new($"evt/{i}#?", Day1.AddMinutes(i), 500 + i % 3, $"message {i}", "flow", "svc", i % 2 == 0 ? "even" : null);

    [Fact]
    public async Task A_large_batch_over_two_days_is_written_and_read_back_in_order()
    {
        var log = await LogAsync();
        var errors = Enumerable.Range(0, 250).Select(Error).ToList();
        await log.AppendAsync("acme", Batch("crm", errors));

        var all = await log.ReadAsync("acme", Day1.AddDays(-1), Day1.AddDays(1)).Take(1000).ToListAsync();
        Assert.Equal(errors, all.Select(e => e.Detail));
        Assert.All(all, e => Assert.Equal("crm", e.IntegrationId));

        var window = await log.ReadAsync("acme", Day1.AddMinutes(50), Day1.AddMinutes(70)).Take(1000).ToListAsync();
        Assert.Equal(Enumerable.Range(50, 20).Select(i => $"evt/{i}#?"), window.Select(e => e.Detail.EventId));
        Assert.Equal(10, (await log.ReadAsync("acme", Day1, Day1.AddDays(1)).Take(10).ToListAsync()).Count);
    }

    [Fact]
    public async Task Appending_the_same_events_again_does_not_duplicate_them()
    {
        var log = await LogAsync();
        var errors = Enumerable.Range(0, 120).Select(Error).ToList();
        await log.AppendAsync("acme", Batch("crm", errors, sequence: 7));
        // The same commit projected again rewrites its rows; a repeat in another commit is dropped by readers.
        await log.AppendAsync("acme", Batch("crm", errors, sequence: 7));
        await log.AppendAsync("acme", Batch("crm", errors.Take(5), sequence: 8));
        await log.AppendAsync("acme", Batch("other", errors.Take(3), sequence: 9));
        var all = await log.ReadAsync("acme", Day1.AddDays(-1), Day1.AddDays(1)).Take(1000).ToListAsync();
        Assert.Equal(123, all.Count);
    }

    [Fact]
    public async Task Batches_larger_than_a_row_are_split_and_read_back_whole()
    {
        var log = await LogAsync();
        var longMessage = new string('x', AttemptRules.MaxMessageLength);
        var errors = Enumerable.Range(0, 400).Select(i => Error(i % 60) with { EventId = $"big-{i}", Message = longMessage + i }).ToList();
        await log.AppendAsync("acme", Batch("crm", errors));

        var all = await log.ReadAsync("acme", Day1.AddDays(-1), Day1.AddDays(1)).Take(1000).ToListAsync();
        Assert.Equal(400, all.Count);
        Assert.Equal(errors.Select(e => e.Message).Order(), all.Select(e => e.Detail.Message).Order());
    }

    [Fact]
    public async Task A_commit_of_errors_only_is_stored_in_the_journals_encoding_as_is()
    {
        var log = await LogAsync();
        var batch = Batch("crm", Enumerable.Range(0, 30).Select(Error).ToList(), sequence: 42)[0];
        var encoded = Alerts.Grains.Intake.ReportCodec.Encode(batch.Errors).Payload;
        await log.AppendAsync("acme", [batch with { Encoded = encoded }]);
        // A commit that also held successes is encoded again, errors only.
        await log.AppendAsync("acme", Batch("crm", Enumerable.Range(100, 5).Select(Error).ToList(), sequence: 43));
        var all = await log.ReadAsync("acme", Day1.AddDays(-1), Day1.AddDays(2)).Take(100).ToListAsync();
        Assert.Equal(35, all.Count);
        Assert.Equal(batch.Errors.Select(e => e.Attempt.EventId).Order(), all.Take(30).Select(e => e.Detail.EventId).Order());
    }

    [Fact]
    public async Task Text_is_kept_as_utf8_not_escaped()
    {
        var log = await LogAsync();
        var message = string.Concat(Enumerable.Repeat("接続がタイムアウトしました ", 100));
        await log.AppendAsync("acme", Batch("crm", [Error(1) with { Message = message }]));
        var table = new TableServiceClient(fixture.Azurite.ConnectionString).GetTableClient(log.TableName);
        var row = await table.QueryAsync<TableEntity>(e => e.PartitionKey == "acme_20261121").FirstAsync();
        // UTF-8 takes 3 bytes per kana or kanji; JSON-escaped (a backslash-u sequence) it would take 6.
        var utf8 = System.Text.Encoding.UTF8.GetByteCount(message);
        Assert.InRange(row.GetInt32("DSize")!.Value, utf8, utf8 + 200);
        Assert.Equal(message, (await log.ReadAsync("acme", Day1.AddDays(-1), Day1.AddDays(1)).SingleAsync()).Detail.Message);
    }

    [Fact]
    public async Task Deleting_a_day_removes_only_that_day_of_that_organization()
    {
        var log = await LogAsync();
        var errors = Enumerable.Range(0, 150).Select(Error).ToList();
        await log.AppendAsync("acme", Batch("crm", errors));
        await log.AppendAsync("globex", Batch("crm", errors));

        await log.DeleteDayAsync("acme", DateOnly.FromDateTime(Day1.UtcDateTime));

        var acme = await log.ReadAsync("acme", Day1.AddDays(-1), Day1.AddDays(2)).Take(1000).ToListAsync();
        Assert.All(acme, e => Assert.True(e.Detail.OccurredAt >= new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(150 - 60, acme.Count);
        Assert.Equal(150, (await log.ReadAsync("globex", Day1.AddDays(-1), Day1.AddDays(2)).Take(1000).ToListAsync()).Count);
    }
}
