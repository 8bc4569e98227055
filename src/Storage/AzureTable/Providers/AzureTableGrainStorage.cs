using Alerts.Storage.AzureTable;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Alerts.Storage.AzureTable.Providers;

/// <summary>
/// Grain state in an Azure table: one row per (service, grain, state name), the state serialized with Orleans'
/// version-tolerant serializer and split over binary columns of 64 KiB. Writes are conditional on the ETag the
/// grain last saw, so a stale writer gets <see cref="InconsistentStateException"/> instead of overwriting.
/// </summary>
public sealed partial class AzureTableGrainStorage(
    string name,
    AzureTableGrainStorageOptions options,
    IOptions<ClusterOptions> cluster,
    Serializer serializer,
    ILogger<AzureTableGrainStorage> logger)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private const int ChunkBytes = 64 * 1024;
    private const string Format = "orleans-binary-1";

    private readonly TableClient _table = options.CreateClient();
    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (partition, row) = Keys(stateName, grainId);
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row);
        if (!found.HasValue || found.Value is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        var entity = found.Value;
        grainState.State = serializer.Deserialize<T>(Join(entity));
        grainState.ETag = entity.ETag.ToString();
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Serialize before the first await: the state a grain mutates next belongs to the next write.
        var (partition, row) = Keys(stateName, grainId);
        var bytes = serializer.SerializeToArray(grainState.State);
        if (bytes.Length > options.MaxStateBytes)
            throw new InvalidOperationException($"State '{stateName}' of {grainId} is {bytes.Length} bytes; the limit is {options.MaxStateBytes}.");
        var entity = Split(partition, row, bytes, typeof(T).Name);
        try
        {
            var response = grainState.ETag is null
                ? await _table.AddEntityAsync(entity)
                : await _table.UpdateEntityAsync(entity, new ETag(grainState.ETag), TableUpdateMode.Replace);
            grainState.ETag = response.Headers.ETag?.ToString();
            grainState.RecordExists = true;
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412 or 404)
        {
            throw Conflict("write", stateName, grainId, grainState.ETag, exception);
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (partition, row) = Keys(stateName, grainId);
        if (grainState.ETag is not null)
        {
            try
            {
                await _table.DeleteEntityAsync(partition, row, new ETag(grainState.ETag));
            }
            catch (RequestFailedException exception) when (exception.Status is 412 or 404)
            {
                throw Conflict("clear", stateName, grainId, grainState.ETag, exception);
            }
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(AzureTableGrainStorage)}-{name}", ServiceLifecycleStage.RuntimeInitialize, async cancellation =>
        {
            await _table.CreateIfNotExistsAsync(cancellation);
            LogReady(logger, name, options.TableName);
        });

    private (string Partition, string Row) Keys(string stateName, GrainId grainId) =>
        (TableKeys.Escape($"{_serviceId}/{grainId}"), TableKeys.Escape(stateName));

    private static TableEntity Split(string partition, string row, byte[] bytes, string typeName)
    {
        var entity = new TableEntity(partition, row)
        {
            ["Format"] = Format,
            ["Type"] = typeName,
            ["Size"] = bytes.Length,
        };
        var chunks = (bytes.Length + ChunkBytes - 1) / ChunkBytes;
        for (var i = 0; i < chunks; i++)
        {
            var offset = i * ChunkBytes;
            entity[$"Data{i}"] = bytes.AsSpan(offset, Math.Min(ChunkBytes, bytes.Length - offset)).ToArray();
        }
        return entity;
    }

    private static byte[] Join(TableEntity entity)
    {
        var format = entity.GetString("Format");
        if (format != Format) throw new InvalidOperationException($"Row {entity.PartitionKey}/{entity.RowKey} has unknown format '{format}'.");
        var size = entity.GetInt32("Size") ?? 0;
        var bytes = new byte[size];
        var offset = 0;
        for (var i = 0; offset < size; i++)
        {
            var chunk = entity.GetBinary($"Data{i}") ?? throw new InvalidOperationException($"Row {entity.PartitionKey}/{entity.RowKey} lacks Data{i}.");
            chunk.CopyTo(bytes, offset);
            offset += chunk.Length;
        }
        return bytes;
    }

    private static InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? etag, RequestFailedException exception) =>
        new($"Cannot {operation} state '{stateName}' of {grainId}: it was changed or removed by another writer (status {exception.Status}).",
            storedEtag: "unknown", currentEtag: etag ?? "none", exception);

    [LoggerMessage(5001, LogLevel.Information, "Grain storage {Name} uses Azure table {Table}")]
    private static partial void LogReady(ILogger logger, string name, string table);
}
