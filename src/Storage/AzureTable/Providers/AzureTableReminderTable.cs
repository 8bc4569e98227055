using System.Globalization;
using Alerts.Storage.AzureTable;
using Orleans.Configuration;

namespace Alerts.Storage.AzureTable.Providers;

/// <summary>
/// Reminders in an Azure table, partitioned by the grain's uniform hash (<c>{service}_{hash:X8}</c>) so that the
/// reminder service's range reads — "every grain whose hash is in (begin, end]", wrapping around the ring — are
/// range scans over partition keys.
/// </summary>
public sealed class AzureTableReminderTable(IOptions<AzureTableReminderOptions> options, IOptions<ClusterOptions> cluster)
    : IReminderTable
{
    private readonly TableClient _table = options.Value.CreateClient();
    private readonly string _prefix = TableKeys.Escape(cluster.Value.ServiceId) + "_";

    public Task Init() => _table.CreateIfNotExistsAsync();

    public async Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        var filter = $"PartitionKey eq {TableKeys.Literal(Partition(grainId))} and GrainId eq {TableKeys.Literal(grainId.ToString())}";
        return new ReminderTableData(await QueryAsync(filter));
    }

    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        // (begin, end]; when begin >= end the range wraps past uint.MaxValue (begin == end is the whole ring).
        var after = TableKeys.Literal(_prefix + Hex(begin));
        var upTo = TableKeys.Literal(_prefix + Hex(end));
        var first = TableKeys.Literal(_prefix + Hex(uint.MinValue));
        var last = TableKeys.Literal(_prefix + Hex(uint.MaxValue));
        var filter = begin < end
            ? $"PartitionKey gt {after} and PartitionKey le {upTo}"
            : $"(PartitionKey gt {after} and PartitionKey le {last}) or (PartitionKey ge {first} and PartitionKey le {upTo})";
        return new ReminderTableData(await QueryAsync(filter));
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(grainId), Row(grainId, reminderName));
        return found.HasValue && found.Value is not null ? ToEntry(found.Value) : null;
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var entity = new TableEntity(Partition(entry.GrainId), Row(entry.GrainId, entry.ReminderName))
        {
            ["GrainId"] = entry.GrainId.ToString(),
            ["ReminderName"] = entry.ReminderName,
            ["StartAt"] = DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc),
            ["PeriodTicks"] = entry.Period.Ticks,
            ["GrainHash"] = (long)entry.GrainId.GetUniformHashCode(),
        };
        var response = await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace);
        return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("The table returned no ETag.");
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        try
        {
            // The SDK reports a missing row as a 404 response rather than an exception.
            var response = await _table.DeleteEntityAsync(Partition(grainId), Row(grainId, reminderName), new ETag(eTag));
            return response.Status != 404;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task TestOnlyClearTable()
    {
        var filter = $"PartitionKey ge {TableKeys.Literal(_prefix)} and PartitionKey lt {TableKeys.Literal(_prefix + "~")}";
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"]))
            await _table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All);
    }

    private async Task<List<ReminderEntry>> QueryAsync(string filter)
    {
        var entries = new List<ReminderEntry>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter)) entries.Add(ToEntry(entity));
        return entries;
    }

    private static ReminderEntry ToEntry(TableEntity entity) => new()
    {
        GrainId = GrainId.Parse(entity.GetString("GrainId"), CultureInfo.InvariantCulture),
        ReminderName = entity.GetString("ReminderName"),
        StartAt = entity.GetDateTime("StartAt") ?? default,
        Period = TimeSpan.FromTicks(entity.GetInt64("PeriodTicks") ?? 0),
        ETag = entity.ETag.ToString(),
    };

    private string Partition(GrainId grainId) => _prefix + Hex(grainId.GetUniformHashCode());

    private static string Row(GrainId grainId, string reminderName) => TableKeys.Escape($"{grainId}/{reminderName}");

    private static string Hex(uint hash) => hash.ToString("X8", CultureInfo.InvariantCulture);
}
