using System.Collections.Concurrent;
using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.Webhooks;
using Alerts.Grains.Stores;
using Alerts.Storage.AzureTable;
using Azure.Data.Tables;

namespace Alerts.Storage.AzureTable;

/// <summary>
/// Webhook messages and the delivery log in an Azure table, PartitionKey <c>{org}/{webhook}</c> (escaped): a row per
/// message, <c>m:{id}</c> (its body in a binary column, at most 64 KiB: events are far smaller), and a row per attempt,
/// <c>a:{inverted ticks}:{message id}:{attempt}</c>, so a range read lists the newest first and pages by RowKey.
/// </summary>
public sealed class AzureTableWebhookStore(TableClient table) : IWebhookStore
{
    private const int MaxText = 4_000;

    public Task InitializeAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public async Task SaveMessageAsync(string orgId, string webhookId, StoredMessage message, CancellationToken cancellationToken = default)
    {
        if (message.Body.Length > 64 * 1024) throw new ArgumentException("a webhook message body is at most 64 KiB", nameof(message));
        await table.UpsertEntityAsync(new TableEntity(Partition(orgId, webhookId), MessageKey(message.MessageId))
        {
            ["MessageId"] = message.MessageId,
            ["EventType"] = message.EventType,
            ["CreatedAt"] = message.CreatedAt.UtcDateTime,
            ["Body"] = message.Body,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<StoredMessage?> GetMessageAsync(string orgId, string webhookId, string messageId, CancellationToken cancellationToken = default)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition(orgId, webhookId), MessageKey(messageId), cancellationToken: cancellationToken);
        if (!found.HasValue || found.Value is not { } row) return null;
        return new StoredMessage(row.GetString("MessageId"), row.GetString("EventType"), row.GetDateTimeOffset("CreatedAt") ?? default, row.GetBinary("Body"));
    }

    public async Task AddAttemptAsync(string orgId, string webhookId, DeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        await table.UpsertEntityAsync(new TableEntity(Partition(orgId, webhookId), AttemptKey(attempt))
        {
            ["MessageId"] = attempt.MessageId,
            ["EventType"] = attempt.EventType,
            ["Attempt"] = attempt.Attempt,
            ["At"] = attempt.At.UtcDateTime,
            ["Outcome"] = attempt.Outcome.Wire(),
            ["StatusCode"] = attempt.StatusCode,
            ["DurationMs"] = attempt.DurationMs,
            ["Error"] = Truncate(attempt.Error),
            ["ResponseBody"] = Truncate(attempt.ResponseBody),
            ["NextAttemptAt"] = attempt.NextAttemptAt?.UtcDateTime,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<DeliveryPage> ListAttemptsAsync(string orgId, string webhookId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        var after = cursor is null ? "a:" : DecodeCursor(cursor);
        var partition = Partition(orgId, webhookId);
        var rows = new List<TableEntity>();
        var filter = $"PartitionKey eq {TableKeys.Literal(partition)} and RowKey gt {TableKeys.Literal(after)} and RowKey lt 'a;'";
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: limit + 1, cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count > limit) break;
        }
        var page = rows.Take(limit).ToList();
        return new DeliveryPage(page.Select(Attempt).ToList(), rows.Count > limit ? NotificationCursor.Encode(page[^1].RowKey) : null);
    }

    public async Task<int> TrimAsync(string orgId, string webhookId, DateTimeOffset before, IReadOnlySet<string> keep, CancellationToken cancellationToken = default)
    {
        var partition = Partition(orgId, webhookId);
        // Past every key of the cutoff instant itself ("a:{ticks}:…" sorts below "a:{ticks};"): strictly older rows only.
        var oldest = string.Create(CultureInfo.InvariantCulture, $"a:{DateTime.MaxValue.Ticks - before.UtcTicks:D19};");
        var doomed = new List<TableEntity>();
        // Attempts: newest first by RowKey, so everything past the cutoff's key is older.
        var attempts = $"PartitionKey eq {TableKeys.Literal(partition)} and RowKey gt {TableKeys.Literal(oldest)} and RowKey lt 'a;'";
        await foreach (var row in table.QueryAsync<TableEntity>(attempts, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            doomed.Add(row);
        var messages = $"PartitionKey eq {TableKeys.Literal(partition)} and RowKey ge 'm:' and RowKey lt 'm;' and CreatedAt lt datetime'{before.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'";
        await foreach (var row in table.QueryAsync<TableEntity>(messages, select: ["PartitionKey", "RowKey", "MessageId"], cancellationToken: cancellationToken))
        {
            if (!keep.Contains(row.GetString("MessageId"))) doomed.Add(row);
        }
        foreach (var batch in doomed.Chunk(100))
            await table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row)), cancellationToken);
        return doomed.Count;
    }

    public async Task DeleteAllAsync(string orgId, string webhookId, CancellationToken cancellationToken = default)
    {
        var partition = Partition(orgId, webhookId);
        var keys = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            keys.Add(row);
        foreach (var batch in keys.Chunk(100))
            await table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row)), cancellationToken);
    }

    /// <summary>The RowKey a cursor stands for; refuses one this log did not issue.</summary>
    public static string DecodeCursor(string cursor) =>
        NotificationCursor.DecodeText(cursor) is { } key && key.StartsWith("a:", StringComparison.Ordinal) && key.Length > 22
            ? key
            : throw new ArgumentException("cursor is not one this log issued", nameof(cursor));

    public static string AttemptKey(DeliveryAttempt attempt) => string.Create(CultureInfo.InvariantCulture,
        $"a:{DateTime.MaxValue.Ticks - attempt.At.UtcTicks:D19}:{TableKeys.Escape(attempt.MessageId)}:{attempt.Attempt:D5}:{(int)attempt.Outcome}");

    private static DeliveryAttempt Attempt(TableEntity row) => new(
        row.GetString("MessageId"), row.GetString("EventType"), row.GetInt32("Attempt") ?? 0, row.GetDateTimeOffset("At") ?? default,
        Enum.GetValues<DeliveryOutcome>().First(o => o.Wire() == row.GetString("Outcome")), row.GetInt32("StatusCode"),
        row.GetInt32("DurationMs") ?? 0, row.GetString("Error"), row.GetString("ResponseBody"), row.GetDateTimeOffset("NextAttemptAt"));

    private static string Partition(string orgId, string webhookId) => TableKeys.Escape($"{orgId}/{webhookId}");

    private static string MessageKey(string messageId) => "m:" + TableKeys.Escape(messageId);

    private static string? Truncate(string? text) => text is { Length: > MaxText } ? text[..MaxText] : text;
}
