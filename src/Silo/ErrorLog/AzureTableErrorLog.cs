using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Alerts.Contracts;
using Alerts.Grains.ErrorLog;
using Alerts.Storage.Configuration;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Silo.ErrorLog;

/// <summary>
/// Error details in an Azure table, one partition per organization and UTC day (<c>{org}_{yyyyMMdd}</c>).
/// <para>
/// A row holds a chunk of one integration's errors (JSON, split over 64 KiB binary columns, up to
/// <see cref="ChunkBytes"/>) with the chunk's first and last occurrence times, so a batch of 1,000 errors is
/// usually one row, not 1,000: the table's rate of entity writes does not cap the rate of error reports.
/// Rows of a partition are written in entity-group transactions of at most 100. A chunk's key is derived from its
/// event ids, so a retried batch overwrites its row; readers drop any event that still appears twice.
/// </para>
/// </summary>
public sealed class AzureTableErrorLog(TableClient table) : IErrorLog
{
    public const int RowsPerTransaction = 100;
    public const int ChunkBytes = 512 * 1024;
    private const int ColumnBytes = 64 * 1024;
    private const string Format = "json-1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly Meter Meter = new(Hosting.MeteredGrainStorage.MeterName);
    private static readonly Counter<long> Writes = Meter.CreateCounter<long>("alerts.storage.error_log_writes", description: "Requests that wrote error log rows");

    public Task InitializeAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public async Task AppendAsync(string orgId, string integrationId, IReadOnlyList<ErrorDetail> errors, CancellationToken cancellationToken = default)
    {
        var writes = errors
            .GroupBy(error => Day(error.OccurredAt))
            .SelectMany(day => Chunks(day.ToList()).Select(chunk => ToEntity(orgId, integrationId, day.Key, chunk.Errors, chunk.Json)))
            .GroupBy(entity => entity.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partition => partition.Chunk(RowsPerTransaction))
            .Select(rows => rows.Length == 1
                ? (Task)table.UpsertEntityAsync(rows[0], TableUpdateMode.Replace, cancellationToken)
                : table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)), cancellationToken));
        var requests = writes.ToList();
        await Task.WhenAll(requests);
        Writes.Add(requests.Count);
    }

    public async IAsyncEnumerable<LoggedError> ReadAsync(
        string orgId, DateTimeOffset since, DateTimeOffset until, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var day = Day(since); day <= Day(until); day = day.AddDays(1))
        {
            // One day at a time: its rows hold batches in no particular order, so the day is sorted before it is yielded.
            var found = new Dictionary<(string Integration, string EventId), LoggedError>();
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {Partition(orgId, day)} and LastAt ge {since.UtcDateTime} and FirstAt lt {until.UtcDateTime}");
            await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var integrationId = row.GetString("IntegrationId");
                foreach (var error in Read(row))
                {
                    if (error.OccurredAt >= since && error.OccurredAt < until)
                        found.TryAdd((integrationId, error.EventId), new LoggedError(integrationId, error));
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
        foreach (var rows in keys.Chunk(RowsPerTransaction))
        {
            await table.SubmitTransactionAsync(rows.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
        }
    }

    /// <summary>Splits one day's errors into chunks whose JSON stays under <see cref="ChunkBytes"/>.</summary>
    private static IEnumerable<(List<ErrorDetail> Errors, byte[] Json)> Chunks(List<ErrorDetail> errors)
    {
        var whole = JsonSerializer.SerializeToUtf8Bytes(errors, Json);
        if (whole.Length <= ChunkBytes || errors.Count == 1)
        {
            yield return (errors, whole);
            yield break;
        }
        var half = errors.Count / 2;
        foreach (var chunk in Chunks(errors[..half])) yield return chunk;
        foreach (var chunk in Chunks(errors[half..])) yield return chunk;
    }

    private static TableEntity ToEntity(string orgId, string integrationId, DateOnly day, List<ErrorDetail> errors, byte[] json)
    {
        var key = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(string.Join('\n', errors.Select(e => e.EventId))));
        var entity = new TableEntity(Partition(orgId, day), TableKeys.Escape($"{integrationId}/{key:x16}"))
        {
            ["IntegrationId"] = integrationId,
            ["Format"] = Format,
            ["Count"] = errors.Count,
            ["FirstAt"] = errors.Min(e => e.OccurredAt).UtcDateTime,
            ["LastAt"] = errors.Max(e => e.OccurredAt).UtcDateTime,
            ["Size"] = json.Length,
        };
        for (var (column, offset) = (0, 0); offset < json.Length; column++, offset += ColumnBytes)
            entity[$"Data{column}"] = json.AsSpan(offset, Math.Min(ColumnBytes, json.Length - offset)).ToArray();
        return entity;
    }

    private static List<ErrorDetail> Read(TableEntity row)
    {
        if (row.GetString("Format") != Format) throw new InvalidOperationException($"Error log row {row.PartitionKey}/{row.RowKey} has an unknown format.");
        var json = new byte[row.GetInt32("Size") ?? 0];
        for (var (column, offset) = (0, 0); offset < json.Length; column++)
        {
            var part = row.GetBinary($"Data{column}");
            part.CopyTo(json, offset);
            offset += part.Length;
        }
        return JsonSerializer.Deserialize<List<ErrorDetail>>(json, Json) ?? [];
    }

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static string Partition(string orgId, DateOnly day) =>
        TableKeys.Escape($"{orgId}_{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");
}
