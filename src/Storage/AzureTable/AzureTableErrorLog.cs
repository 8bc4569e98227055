using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Alerts.Contracts;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Intake;
using Alerts.Storage.AzureTable;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Storage.AzureTable;

/// <summary>
/// Error details in an Azure table, one partition per organization and UTC day (<c>{org}_{yyyyMMdd}</c>).
/// <para>
/// A row holds one journal commit's errors of that day, any integrations, in the journal's compact binary encoding
/// (UTF-8 text, split over 64 KiB binary columns, a new row past <see cref="RowBytes"/>), with the first and last
/// occurrence times for range queries; so a batch of 1,000 errors is one row, not 1,000, and the table's rate of entity
/// writes does not cap the rate of error reports. Rows of a partition go in entity-group transactions sized to Azure's
/// limits. RowKey <c>{sequence:D19}-{part:D3}</c>: projecting a commit again rewrites the same rows.
/// </para>
/// </summary>
public sealed class AzureTableErrorLog(TableClient table) : IErrorLog
{
    /// <summary>Encoded errors per row: 9 binary columns, under the 1 MiB entity limit once sent as base64.</summary>
    public const int RowBytes = 9 * TableLimits.MaxBinaryProperty;
    private const string Format = "reports-1";

    private static readonly Meter Meter = new(StorageMetrics.MeterName);
    private static readonly Counter<long> Writes = Meter.CreateCounter<long>("alerts.storage.error_log_writes", description: "Requests that wrote error log rows");

    public string TableName => table.Name;

    public Task InitializeAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public async Task AppendAsync(string orgId, IReadOnlyList<LoggedBatch> batches, CancellationToken cancellationToken = default)
    {
        var partitions = batches
            .SelectMany(batch => batch.Errors.GroupBy(error => Day(error.Attempt.OccurredAt!.Value)).ToList() is var days
                && days.Count == 1 && batch.Encoded is { Length: > 0 and <= RowBytes } encoded
                    ? [ToEntity(orgId, days[0].Key, batch.Sequence, 0, (batch.Errors, encoded))]
                    : days.SelectMany(day => Parts(day.ToList()).Select((part, index) => ToEntity(orgId, day.Key, batch.Sequence, index, part))))
            .GroupBy(entity => entity.PartitionKey, StringComparer.Ordinal);
        var requests = partitions
            .SelectMany(partition => TableLimits.Transactions(partition, row => row))
            .Select(rows => rows.Count == 1
                ? (Task)table.UpsertEntityAsync(rows[0], TableUpdateMode.Replace, cancellationToken)
                : table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)), cancellationToken))
            .ToList();
        await Task.WhenAll(requests);
        Writes.Add(requests.Count);
    }

    public async IAsyncEnumerable<LoggedError> ReadAsync(
        string orgId, DateTimeOffset since, DateTimeOffset until, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var day = Day(since); day <= Day(until); day = day.AddDays(1))
        {
            // One day at a time: its rows hold commits in no particular order of occurrence, so the day is sorted before it is yielded.
            var found = new Dictionary<(string Integration, string EventId), LoggedError>();
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {Partition(orgId, day)} and LastAt ge {since.UtcDateTime} and FirstAt lt {until.UtcDateTime}");
            await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                foreach (var error in Read(row))
                {
                    if (error.Detail.OccurredAt >= since && error.Detail.OccurredAt < until)
                        found.TryAdd((error.IntegrationId, error.Detail.EventId), error);
                }
            }
            foreach (var error in found.Values
                .OrderBy(row => row.Detail.OccurredAt)
                .ThenBy(row => row.IntegrationId, StringComparer.Ordinal)
                .ThenBy(row => row.Detail.EventId, StringComparer.Ordinal))
            {
                yield return error;
            }
        }
    }

    public async Task DeleteDayAsync(string orgId, DateOnly day, CancellationToken cancellationToken = default)
    {
        var partition = Partition(orgId, day);
        var keys = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            keys.Add(entity);
        foreach (var rows in keys.Chunk(TableLimits.MaxTransactionEntities))
        {
            await table.SubmitTransactionAsync(rows.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
        }
    }

    /// <summary>Splits one day's errors of a commit into parts whose encoding stays under <see cref="RowBytes"/>.</summary>
    private static IEnumerable<(IReadOnlyList<Report> Errors, ReadOnlyMemory<byte> Encoded)> Parts(List<Report> errors)
    {
        var encoded = ReportCodec.Encode(errors).Payload;
        if (encoded.Length <= RowBytes || errors.Count == 1)
        {
            yield return (errors, encoded);
            yield break;
        }
        var half = errors.Count / 2;
        foreach (var part in Parts(errors[..half])) yield return part;
        foreach (var part in Parts(errors[half..])) yield return part;
    }

    private static TableEntity ToEntity(string orgId, DateOnly day, long sequence, int part, (IReadOnlyList<Report> Errors, ReadOnlyMemory<byte> Encoded) rows)
    {
        var entity = new TableEntity(Partition(orgId, day), string.Create(CultureInfo.InvariantCulture, $"{sequence:D19}-{part:D3}"))
        {
            ["Format"] = Format,
            ["Count"] = rows.Errors.Count,
            ["FirstAt"] = rows.Errors.Min(e => e.Attempt.OccurredAt!.Value).UtcDateTime,
            ["LastAt"] = rows.Errors.Max(e => e.Attempt.OccurredAt!.Value).UtcDateTime,
        };
        BinaryColumns.Write(entity, "D", rows.Encoded.Span);
        return entity;
    }

    private static IEnumerable<LoggedError> Read(TableEntity row)
    {
        if (row.GetString("Format") != Format) throw new InvalidOperationException($"Error log row {row.PartitionKey}/{row.RowKey} has an unknown format.");
        return ReportCodec.Decode(BinaryColumns.Read(row, "D")).Select(LoggedError.Of);
    }

    /// <summary>A reported error as the log's readers see it.</summary>
    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static string Partition(string orgId, DateOnly day) =>
        TableKeys.Escape($"{orgId}_{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");
}
