using System.Text.Json;
using Alerts.Grains.Intake;
using Alerts.Grains.Stores;
using Alerts.Storage.AzureTable;
using Alerts.Storage.Memory;
using Azure.Data.Tables;

namespace Alerts.Tests.Policies;

/// <summary>Azure's limits checked in our own code: Azurite does not enforce them, so nothing else would catch a breach.</summary>
public sealed class TableLimitsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static TableEntity Row(int i, int bytes)
    {
        var row = new TableEntity("p", $"r{i:D5}") { ["Text"] = "héllo \"world\"", ["At"] = T0.UtcDateTime };
        BinaryColumns.Write(row, "D", new byte[bytes]);
        return row;
    }

    /// <summary>The entity as the SDK sends it, roughly: JSON with binary values in base64 and type annotations.</summary>
    private static int SentSize(TableEntity entity) =>
        JsonSerializer.SerializeToUtf8Bytes(entity.ToDictionary(
            pair => pair.Key,
            pair => pair.Value is byte[] bytes ? Convert.ToBase64String(bytes) : pair.Value)).Length
        + entity.Keys.Count(k => entity[k] is byte[]) * 40;

    [Theory]
    [InlineData(10)]
    [InlineData(5_000)]
    [InlineData(100_000)]
    public void The_estimate_is_never_below_what_is_sent(int bytes)
    {
        var row = Row(1, bytes);
        Assert.InRange(TableLimits.EstimatedSize(row), SentSize(row), SentSize(row) + 2_000);
    }

    [Fact]
    public void Transactions_stay_within_100_entities_and_4_MiB()
    {
        var rows = Enumerable.Range(0, 250).Select(i => Row(i, i % 3 == 0 ? 120_000 : 300)).ToList();
        var transactions = TableLimits.Transactions(rows, row => row).ToList();
        Assert.Equal(rows, transactions.SelectMany(t => t));
        Assert.All(transactions, t =>
        {
            Assert.InRange(t.Count, 1, TableLimits.MaxTransactionEntities);
            Assert.InRange(t.Sum(TableLimits.EstimatedSize), 0, TableLimits.MaxTransactionBytes - 100 * 1024);
        });
        Assert.True(transactions.Count > 3, "the bytes limit, not only the count, split them");
    }

    [Fact]
    public void A_row_over_the_entity_limit_is_refused_before_anything_is_sent()
    {
        var row = new TableEntity("p", "r") { ["A"] = new byte[60_000] };
        for (var i = 0; i < 14; i++) row[$"C{i}"] = new byte[60_000];
        Assert.Throws<InvalidOperationException>(() => TableLimits.Transactions([row], r => r).ToList());
    }

    [Fact]
    public void Journal_rows_of_the_largest_commit_fit_azures_limits()
    {
        // A batch of 1,000 reports with 4,000-character messages of 3-byte characters: about 12 MB encoded.
        var commit = new JournalCommit(7, T0, new byte[12_500_000], new byte[20_000 * 8]);
        var rows = AzureTableJournal.Rows("org%2Facme", commit);
        Assert.All(rows, row =>
        {
            Assert.InRange(TableLimits.EstimatedSize(row), 0, TableLimits.MaxEntityBytes);
            Assert.All(row.Select(pair => pair.Value).OfType<byte[]>(), value => Assert.InRange(value.Length, 0, TableLimits.MaxBinaryProperty));
        });
        Assert.Equal(12_500_000, rows.Sum(row => row.GetInt32("DSize")!.Value));
        Assert.All(TableLimits.Transactions(rows, r => r), t => Assert.InRange(t.Sum(TableLimits.EstimatedSize), 0, TableLimits.MaxTransactionBytes));
    }
}
