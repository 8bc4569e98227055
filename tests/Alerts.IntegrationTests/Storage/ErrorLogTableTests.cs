using Alerts.Contracts;
using Alerts.Silo.ErrorLog;
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

    private static ErrorDetail Error(int i) =>
        new($"evt/{i}#?", Day1.AddMinutes(i), 500 + i % 3, $"message {i}", "flow", "svc", i % 2 == 0 ? "even" : null);

    [Fact]
    public async Task A_large_batch_over_two_days_is_written_and_read_back_in_order()
    {
        var log = await LogAsync();
        var errors = Enumerable.Range(0, 250).Select(Error).ToList();
        await log.AppendAsync("acme", "crm", errors);

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
        await log.AppendAsync("acme", "crm", errors);
        await log.AppendAsync("acme", "crm", errors.Concat(errors.Take(5)).ToList());
        await log.AppendAsync("acme", "other", errors.Take(3).ToList());
        var all = await log.ReadAsync("acme", Day1.AddDays(-1), Day1.AddDays(1)).Take(1000).ToListAsync();
        Assert.Equal(123, all.Count);
    }

    [Fact]
    public async Task Batches_larger_than_a_row_are_split_and_read_back_whole()
    {
        var log = await LogAsync();
        var longMessage = new string('x', AttemptRules.MaxMessageLength);
        var errors = Enumerable.Range(0, 400).Select(i => Error(i % 60) with { EventId = $"big-{i}", Message = longMessage + i }).ToList();
        await log.AppendAsync("acme", "crm", errors);

        var all = await log.ReadAsync("acme", Day1.AddDays(-1), Day1.AddDays(1)).Take(1000).ToListAsync();
        Assert.Equal(400, all.Count);
        Assert.Equal(errors.Select(e => e.Message).Order(), all.Select(e => e.Detail.Message).Order());
    }

    [Fact]
    public async Task Deleting_a_day_removes_only_that_day_of_that_organization()
    {
        var log = await LogAsync();
        var errors = Enumerable.Range(0, 150).Select(Error).ToList();
        await log.AppendAsync("acme", "crm", errors);
        await log.AppendAsync("globex", "crm", errors);

        await log.DeleteDayAsync("acme", DateOnly.FromDateTime(Day1.UtcDateTime));

        var acme = await log.ReadAsync("acme", Day1.AddDays(-1), Day1.AddDays(2)).Take(1000).ToListAsync();
        Assert.All(acme, e => Assert.True(e.Detail.OccurredAt >= new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(150 - 60, acme.Count);
        Assert.Equal(150, (await log.ReadAsync("globex", Day1.AddDays(-1), Day1.AddDays(2)).Take(1000).ToListAsync()).Count);
    }
}
