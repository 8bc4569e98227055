namespace Alerts.Storage.AzureTable.Migration;

/// <summary>
/// The grain-state table Alerts wrote before it used Orleans' own Azure provider (<c>{Prefix}GrainState</c>): one row
/// per (service, grain, state name), keyed <c>{service}/{grain}</c> and the state name escaped by
/// <see cref="TableKeys"/>, the Orleans binary of the state split over <c>Data0</c>, <c>Data1</c>… of 64 KiB. It is only
/// ever read and emptied: each row is deleted once the grain has written its state to the new table.
/// </summary>
public sealed class LegacyStateTable(TableClient table, string serviceId)
{
    private const string Format = "orleans-binary-1";

    public string Name => table.Name;

    /// <summary>Whether the table exists and still holds a row (of any service): checked once, at start-up.</summary>
    public async Task<bool> HasRowsAsync(CancellationToken cancellation)
    {
        try
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellation))
                return true;
            return false;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return false;
        }
    }

    /// <summary>The stored bytes of a grain's state, or null when the grain has no row here.</summary>
    public async Task<byte[]?> ReadAsync(string stateName, GrainId grainId)
    {
        var (partition, row) = Keys(stateName, grainId);
        try
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, row);
            return found.HasValue && found.Value is { } entity ? Join(entity) : null;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Removes a grain's row whatever its version; a row already gone is fine.</summary>
    public async Task DeleteAsync(string stateName, GrainId grainId)
    {
        var (partition, row) = Keys(stateName, grainId);
        try
        {
            await table.DeleteEntityAsync(partition, row, ETag.All);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
        }
    }

    private (string Partition, string Row) Keys(string stateName, GrainId grainId) =>
        (TableKeys.Escape($"{serviceId}/{grainId}"), TableKeys.Escape(stateName));

    private static byte[] Join(TableEntity entity)
    {
        var format = entity.GetString("Format");
        if (format != Format) throw new InvalidOperationException($"Row {entity.PartitionKey}/{entity.RowKey} has unknown format '{format}'.");
        var size = entity.GetInt32("Size") ?? 0;
        var bytes = new byte[size];
        for (int i = 0, offset = 0; offset < size; i++)
        {
            var chunk = entity.GetBinary($"Data{i}") ?? throw new InvalidOperationException($"Row {entity.PartitionKey}/{entity.RowKey} lacks Data{i}.");
            chunk.CopyTo(bytes, offset);
            offset += chunk.Length;
        }
        return bytes;
    }
}
