using System.Diagnostics;
using System.Diagnostics.Metrics;
using Orleans.Runtime;
using Orleans.Storage;

namespace Alerts.Silo.Hosting;

/// <summary>
/// Counts the storage writes behind the grains, whatever the provider, so operators (and the benchmark) can see
/// how many reports one write covers. Meter <c>Alerts.Storage</c>.
/// </summary>
public sealed class MeteredGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public const string MeterName = Alerts.Storage.StorageMetrics.MeterName;

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Writes = Meter.CreateCounter<long>("alerts.storage.state_writes", description: "Grain state writes that reached storage");
    private static readonly Histogram<double> WriteTime = Meter.CreateHistogram<double>("alerts.storage.state_write_duration", "s", "Time of one grain state write");

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var started = Stopwatch.GetTimestamp();
        await inner.WriteStateAsync(stateName, grainId, grainState);
        var tag = new KeyValuePair<string, object?>("state", stateName);
        Writes.Add(1, tag);
        WriteTime.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (inner is ILifecycleParticipant<ISiloLifecycle> participant) participant.Participate(lifecycle);
    }

    /// <summary>Wraps the grain storage registered under <paramref name="name"/>.</summary>
    public static void Decorate(IServiceCollection services, string name) =>
        Alerts.Storage.GrainStorageDecoration.Decorate(services, name, (_, inner) => new MeteredGrainStorage(inner));
}
