using System.Globalization;
using System.Text;
using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Alerts.Storage.AzureTable;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Storage.AzureTable;

/// <summary>
/// The notification log in an Azure table. Per organization (PartitionKey the org): a row per notification twice —
/// <c>n:{inverted creation ticks}:{id}</c>, so a range read lists newest first and pages by RowKey, and <c>i:{id}</c> to
/// find one by id — written together in one transaction. Per notification (PartitionKey <c>{org}/{id}</c>): a row per
/// recipient, <c>r:{address}</c>, with its status, attempts, last reply and times, and, for notifications that tell each
/// recipient something of their own (digests), a row per recipient <c>p:{address}</c> in the partition
/// <c>{org}/{id}/p</c> holding that payload (Orleans' binary serialization, in 64 KiB binary columns).
/// </summary>
public sealed class AzureTableNotificationHistory(TableClient table, Orleans.Serialization.Serializer serializer) : INotificationHistory
{
    private const int MaxText = 4_000;

    public Task InitializeAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public async Task SaveAsync(string orgId, NotificationView notification, CancellationToken cancellationToken = default)
    {
        var listed = Row(orgId, ListKey(notification), notification);
        var byId = Row(orgId, IdKey(notification.Id), notification);
        await table.SubmitTransactionAsync(
            [new TableTransactionAction(TableTransactionActionType.UpsertReplace, listed), new TableTransactionAction(TableTransactionActionType.UpsertReplace, byId)],
            cancellationToken);
    }

    public async Task SaveRecipientsAsync(string orgId, string notificationId, IReadOnlyList<RecipientView> recipients, CancellationToken cancellationToken = default)
    {
        var partition = RecipientPartition(orgId, notificationId);
        var rows = recipients.Select(recipient => new TableEntity(partition, RecipientKey(recipient.Address))
        {
            ["Address"] = recipient.Address,
            ["Status"] = recipient.Status.Wire(),
            ["Attempts"] = recipient.Attempts,
            ["Reply"] = Truncate(recipient.Reply),
            ["SentAt"] = recipient.SentAt?.UtcDateTime,
            ["UpdatedAt"] = recipient.UpdatedAt?.UtcDateTime,
        });
        await Task.WhenAll(TableLimits.Transactions(rows, row => row).Select(batch => batch.Count == 1
            ? (Task)table.UpsertEntityAsync(batch[0], TableUpdateMode.Replace, cancellationToken)
            : table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)), cancellationToken)));
    }

    public async Task<IReadOnlyList<RecipientView>> RecipientsAsync(string orgId, string notificationId, CancellationToken cancellationToken = default)
    {
        var partition = RecipientPartition(orgId, notificationId);
        var recipients = new List<RecipientView>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
            recipients.Add(Recipient(row));
        return recipients;
    }

    public async Task<RecipientView?> RecipientAsync(string orgId, string notificationId, string address, CancellationToken cancellationToken = default)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(RecipientPartition(orgId, notificationId), RecipientKey(address), cancellationToken: cancellationToken);
        return found.HasValue && found.Value is { } row ? Recipient(row) : null;
    }

    public async Task SavePersonalAsync(string orgId, string notificationId, IReadOnlyDictionary<string, NotificationPayload> payloads, CancellationToken cancellationToken = default)
    {
        var partition = PersonalPartition(orgId, notificationId);
        var rows = payloads.Select(pair =>
        {
            var row = new TableEntity(partition, RecipientKey(pair.Key));
            BinaryColumns.Write(row, "P", serializer.SerializeToArray(pair.Value));
            return row;
        });
        await Task.WhenAll(TableLimits.Transactions(rows, row => row).Select(batch => batch.Count == 1
            ? (Task)table.UpsertEntityAsync(batch[0], TableUpdateMode.Replace, cancellationToken)
            : table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)), cancellationToken)));
    }

    public async Task DeletePersonalAsync(string orgId, string notificationId, CancellationToken cancellationToken = default)
    {
        var partition = PersonalPartition(orgId, notificationId);
        var keys = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            keys.Add(row);
        foreach (var batch in keys.Chunk(100))
        {
            await table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
        }
    }

    public async Task<NotificationPayload?> PersonalAsync(string orgId, string notificationId, string address, CancellationToken cancellationToken = default)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(PersonalPartition(orgId, notificationId), RecipientKey(address), cancellationToken: cancellationToken);
        return found.HasValue && found.Value is { } row ? serializer.Deserialize<NotificationPayload>(BinaryColumns.Read(row, "P")) : null;
    }

    public async Task<NotificationView?> GetAsync(string orgId, string notificationId, CancellationToken cancellationToken = default)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(orgId), IdKey(notificationId), cancellationToken: cancellationToken);
        return found.HasValue && found.Value is { } row ? Notification(row) : null;
    }

    public async Task<NotificationPage> QueryAsync(string orgId, NotificationQuery query, CancellationToken cancellationToken = default)
    {
        var after = query.Cursor is null ? "n:" : NotificationCursor.Decode(query.Cursor) ?? throw new ArgumentException("cursor is not one this log issued", nameof(query));
        var filter = new StringBuilder($"PartitionKey eq {TableKeys.Literal(TableKeys.Escape(orgId))} and RowKey gt {TableKeys.Literal(after)} and RowKey lt 'n;'");
        if (query.Kind is { } kind) filter.Append(CultureInfo.InvariantCulture, $" and Kind eq {TableKeys.Literal(kind.Wire())}");
        if (query.Status is { } status) filter.Append(CultureInfo.InvariantCulture, $" and Status eq {TableKeys.Literal(status.Wire())}");
        var rows = new List<TableEntity>(query.Limit + 1);
        await foreach (var row in table.QueryAsync<TableEntity>(filter.ToString(), maxPerPage: query.Limit + 1, cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count > query.Limit) break;
        }
        var page = rows.Take(query.Limit).ToList();
        var next = rows.Count > query.Limit ? NotificationCursor.Encode(page[^1].RowKey) : null;
        return new NotificationPage(page.Select(Notification).ToList(), next);
    }

    private static TableEntity Row(string orgId, string rowKey, NotificationView view) => new(TableKeys.Escape(orgId), rowKey)
    {
        ["Id"] = view.Id,
        ["Kind"] = view.Kind.Wire(),
        ["Direction"] = view.Direction?.Wire(),
        ["Recipients"] = string.Join('\n', view.Recipients),
        ["Subject"] = view.Subject,
        ["Status"] = view.Status.Wire(),
        ["CreatedAt"] = view.CreatedAt.UtcDateTime,
        ["SentAt"] = view.SentAt?.UtcDateTime,
        ["Attempts"] = view.Attempts,
        ["LastError"] = Truncate(view.LastError),
        ["ErrorCount"] = view.ErrorCount,
        ["RecipientCount"] = view.RecipientCount,
        ["Delivered"] = view.Delivered,
        ["CancelReason"] = Truncate(view.CancelReason),
    };

    private static NotificationView Notification(TableEntity row)
    {
        if (!NotificationWire.TryParseKind(row.GetString("Kind"), out var kind) || !NotificationWire.TryParseStatus(row.GetString("Status"), out var status))
            throw new InvalidDataException($"notification row {row.PartitionKey}/{row.RowKey} has an unknown kind or status");
        Direction? direction = row.GetString("Direction") switch { "outgoing" => Direction.Outgoing, "incoming" => Direction.Incoming, _ => null };
        var recipients = row.GetString("Recipients") is { Length: > 0 } joined ? joined.Split('\n') : [];
        return new NotificationView(row.GetString("Id"), kind, direction, recipients, row.GetString("Subject") ?? "", status,
            row.GetDateTimeOffset("CreatedAt")!.Value, row.GetDateTimeOffset("SentAt"), row.GetInt32("Attempts") ?? 0,
            row.GetString("LastError"), row.GetInt32("ErrorCount") ?? 0, row.GetInt32("RecipientCount") ?? recipients.Length,
            row.GetInt32("Delivered") ?? 0, row.GetString("CancelReason"));
    }

    private static RecipientView Recipient(TableEntity row)
    {
        if (!NotificationWire.TryParseStatus(row.GetString("Status"), out var status))
            throw new InvalidDataException($"recipient row {row.PartitionKey}/{row.RowKey} has an unknown status");
        return new RecipientView(row.GetString("Address"), status, row.GetInt32("Attempts") ?? 0, row.GetString("Reply"),
            row.GetDateTimeOffset("SentAt"), row.GetDateTimeOffset("UpdatedAt"));
    }

    private static string ListKey(NotificationView view) => NotificationCursor.Key(view.CreatedAt, TableKeys.Escape(view.Id));

    private static string IdKey(string id) => "i:" + TableKeys.Escape(id);

    private static string RecipientPartition(string orgId, string notificationId) => TableKeys.Escape($"{orgId}/{notificationId}");

    private static string PersonalPartition(string orgId, string notificationId) => TableKeys.Escape($"{orgId}/{notificationId}/p");

    private static string RecipientKey(string address) => "r:" + TableKeys.Escape(address.ToLowerInvariant());

    private static string? Truncate(string? text) => text is { Length: > MaxText } ? text[..MaxText] : text;
}
