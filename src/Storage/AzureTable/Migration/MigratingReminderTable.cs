using System.Globalization;

namespace Alerts.Storage.AzureTable.Migration;

/// <summary>
/// Orleans' Azure reminder table, which first moves into itself the reminders Alerts kept in its own table before
/// (<c>{Prefix}Reminders</c>: one row per reminder, partition <c>{service}_{hash:X8}</c>, columns GrainId,
/// ReminderName, StartAt, PeriodTicks). Each silo does it as its reminder service starts, before the service reads its
/// range: a reminder the new table lacks is inserted, then the old row is deleted. A lost reminder would leave an
/// idle outbox or webhook subscription asleep, which is why reminders are copied at once rather than read through.
/// </summary>
public sealed partial class MigratingReminderTable(
    IReminderTable current, TableClient legacy, string serviceId, ILogger<MigratingReminderTable> logger) : IReminderTable
{
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await current.StartAsync(cancellationToken);
        var moved = 0;
        try
        {
            var prefix = TableKeys.Escape(serviceId) + "_";
            var filter = $"PartitionKey ge {TableKeys.Literal(prefix)} and PartitionKey lt {TableKeys.Literal(prefix + "~")}";
            await foreach (var row in legacy.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var entry = new ReminderEntry
                {
                    GrainId = GrainId.Parse(row.GetString("GrainId"), CultureInfo.InvariantCulture),
                    ReminderName = row.GetString("ReminderName"),
                    StartAt = row.GetDateTime("StartAt") ?? DateTime.UtcNow,
                    Period = TimeSpan.FromTicks(row.GetInt64("PeriodTicks") ?? 0),
                };
                if (await current.ReadRow(entry.GrainId, entry.ReminderName, cancellationToken) is null)
                    await current.UpsertRow(entry, cancellationToken);
                await legacy.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                moved++;
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // No old table: nothing to move.
        }
        if (moved > 0) LogMoved(logger, moved, legacy.Name);
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => current.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => current.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) => current.ReadRows(grainId, cancellationToken);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => current.ReadRows(begin, end);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) => current.ReadRows(begin, end, cancellationToken);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => current.ReadRow(grainId, reminderName);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        current.ReadRow(grainId, reminderName, cancellationToken);

    public Task<string?> UpsertRow(ReminderEntry entry) => current.UpsertRow(entry);

    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken) => current.UpsertRow(entry, cancellationToken);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => current.RemoveRow(grainId, reminderName, eTag);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken) =>
        current.RemoveRow(grainId, reminderName, eTag, cancellationToken);

    public Task TestOnlyClearTable() => current.TestOnlyClearTable();

    public Task TestOnlyClearTable(CancellationToken cancellationToken) => current.TestOnlyClearTable(cancellationToken);

    [LoggerMessage(5103, LogLevel.Warning, "Moved {Count} reminders from {Table}, the table Alerts kept them in before it used Orleans' Azure provider")]
    private static partial void LogMoved(ILogger logger, int count, string table);
}
