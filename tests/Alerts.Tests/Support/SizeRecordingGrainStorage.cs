using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Alerts.Tests.Support;

/// <summary>
/// Wraps the test cluster's grain storage and records the largest state each grain ever wrote, serialized with Orleans'
/// binary serializer as the Azure adapter stores it: the measure the size bounds are stated in.
/// </summary>
public sealed class SizeRecordingGrainStorage(IGrainStorage inner, Serializer serializer) : IGrainStorage
{
    public static readonly ConcurrentDictionary<(string State, GrainId Grain), int> Largest = new();
    public static readonly ConcurrentDictionary<(string State, GrainId Grain), int> Latest = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var size = serializer.SerializeToArray(grainState.State).Length;
        Largest.AddOrUpdate((stateName, grainId), size, (_, before) => Math.Max(before, size));
        Latest[(stateName, grainId)] = size;
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    /// <summary>The largest state written by the grains whose id contains <paramref name="key"/>, per state name.</summary>
    public static Dictionary<string, int> LargestFor(string key) => Of(Largest, key);

    /// <summary>The largest of the states last written by those grains (after a checkpoint: their size now).</summary>
    public static Dictionary<string, int> LatestFor(string key) => Of(Latest, key);

    private static Dictionary<string, int> Of(ConcurrentDictionary<(string State, GrainId Grain), int> sizes, string key) => sizes
        .Where(pair => pair.Key.Grain.ToString().Contains(key, StringComparison.Ordinal))
        .GroupBy(pair => pair.Key.State)
        .ToDictionary(group => group.Key, group => group.Max(pair => pair.Value));

    public static void Decorate(IServiceCollection services, string name)
    {
        var original = services.Last(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        var factory = original.KeyedImplementationFactory!;
        services.Remove(original);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) =>
            new SizeRecordingGrainStorage((IGrainStorage)factory(provider, key), provider.GetRequiredService<Serializer>()));
    }
}
