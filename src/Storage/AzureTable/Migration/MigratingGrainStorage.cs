using Orleans.Serialization;
using Orleans.Storage;

namespace Alerts.Storage.AzureTable.Migration;

/// <summary>
/// Orleans' Azure grain storage, reading through to the table Alerts wrote before it (<see cref="LegacyStateTable"/>)
/// while that table still holds rows. A grain the new table does not know is given its old state with no ETag, so its
/// first write inserts the row in the new table; the old row is then deleted, and so it is when the grain clears its
/// state, which therefore never comes back. The new table always wins: a grain found there is never read from the old.
/// Whether the old table has rows is checked once at start-up; when it has none (every deployment made after the
/// change) this adds nothing to a read or a write.
/// </summary>
public sealed partial class MigratingGrainStorage(
    IGrainStorage current, LegacyStateTable legacy, Serializer serializer, ILogger<MigratingGrainStorage> logger)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private bool _legacyRows;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await current.ReadStateAsync(stateName, grainId, grainState);
        if (grainState.RecordExists || !_legacyRows) return;
        var bytes = await legacy.ReadAsync(stateName, grainId);
        if (bytes is null) return;
        grainState.State = serializer.Deserialize<T>(bytes);
        grainState.RecordExists = true;
        grainState.ETag = null;
        LogCarried(logger, grainId, stateName, bytes.Length);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var first = grainState.ETag is null;
        await current.WriteStateAsync(stateName, grainId, grainState);
        if (first && _legacyRows) await legacy.DeleteAsync(stateName, grainId);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await current.ClearStateAsync(stateName, grainId, grainState);
        if (_legacyRows) await legacy.DeleteAsync(stateName, grainId);
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (current is ILifecycleParticipant<ISiloLifecycle> participant) participant.Participate(lifecycle);
        lifecycle.Subscribe(nameof(MigratingGrainStorage), ServiceLifecycleStage.ApplicationServices, async cancellation =>
        {
            _legacyRows = await legacy.HasRowsAsync(cancellation);
            if (_legacyRows) LogReadingThrough(logger, legacy.Name);
        });
    }

    [LoggerMessage(5101, LogLevel.Warning, "Table {Table} still holds grain state written before Alerts used Orleans' Azure provider: each grain's state is read from it until the grain writes it again")]
    private static partial void LogReadingThrough(ILogger logger, string table);

    [LoggerMessage(5102, LogLevel.Information, "Carried state {State} of {Grain} ({Bytes} bytes) over from the old grain-state table")]
    private static partial void LogCarried(ILogger logger, GrainId grain, string state, int bytes);
}
