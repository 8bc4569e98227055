using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.ErrorLog;
using Alerts.Storage.Configuration;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Silo.ErrorLog;

/// <summary>
/// Error details in an Azure table, one partition per organization and UTC day (<c>{org}_{yyyyMMdd}</c>), one row
/// per (integration, event id). Rows are written as upserts in entity-group transactions of at most 100, so a
/// batch of 1,000 errors is about ten requests, and a retried batch overwrites rather than duplicates.
/// </summary>
public sealed class AzureTableErrorLog(TableClient table) : IErrorLog
{
    public const int RowsPerTransaction = 100;

    public Task InitializeAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public async Task AppendAsync(string orgId, string integrationId, IReadOnlyList<ErrorDetail> errors, CancellationToken cancellationToken = default)
    {
        var transactions = errors
            .Select(error => ToEntity(orgId, integrationId, error))
            .GroupBy(entity => entity.PartitionKey, StringComparer.Ordinal)
            // The same event twice in one transaction is refused by the service; the last one wins, as an upsert would.
            .SelectMany(partition => partition
                .GroupBy(entity => entity.RowKey, StringComparer.Ordinal).Select(same => same.Last())
                .Chunk(RowsPerTransaction))
            .Select(chunk => table.SubmitTransactionAsync(
                chunk.Select(entity => new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity)), cancellationToken));
        await Task.WhenAll(transactions);
    }

    public async Task<IReadOnlyList<LoggedError>> ReadAsync(
        string orgId, DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken = default)
    {
        var rows = new List<LoggedError>();
        for (var day = DateOnly.FromDateTime(since.UtcDateTime); day <= DateOnly.FromDateTime(until.UtcDateTime); day = day.AddDays(1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(orgId, day)} and OccurredAt ge {since.UtcDateTime} and OccurredAt lt {until.UtcDateTime}");
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                rows.Add(FromEntity(entity));
            }
            if (rows.Count >= limit) break;
        }
        return rows.OrderBy(row => row.Detail.OccurredAt).ThenBy(row => row.Detail.EventId, StringComparer.Ordinal).Take(limit).ToList();
    }

    public async Task DeleteDayAsync(string orgId, DateOnly day, CancellationToken cancellationToken = default)
    {
        var partition = Partition(orgId, day);
        var keys = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            keys.Add(entity);
        foreach (var chunk in keys.Chunk(RowsPerTransaction))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
        }
    }

    private static string Partition(string orgId, DateOnly day) =>
        TableKeys.Escape($"{orgId}_{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");

    private static TableEntity ToEntity(string orgId, string integrationId, ErrorDetail error) =>
        new(Partition(orgId, DateOnly.FromDateTime(error.OccurredAt.UtcDateTime)), TableKeys.Escape($"{integrationId}/{error.EventId}"))
        {
            ["IntegrationId"] = integrationId,
            ["EventId"] = error.EventId,
            ["OccurredAt"] = error.OccurredAt.UtcDateTime,
            ["StatusCode"] = error.StatusCode,
            ["Message"] = error.Message,
            ["Flow"] = error.Flow,
            ["Service"] = error.Service,
            ["TraceKey"] = error.TraceKey,
        };

    private static LoggedError FromEntity(TableEntity entity) => new(
        entity.GetString("IntegrationId"),
        new ErrorDetail(
            entity.GetString("EventId"),
            new DateTimeOffset(DateTime.SpecifyKind(entity.GetDateTime("OccurredAt") ?? default, DateTimeKind.Utc)),
            entity.GetInt32("StatusCode"),
            entity.GetString("Message"),
            entity.GetString("Flow"),
            entity.GetString("Service"),
            entity.GetString("TraceKey")));
}
