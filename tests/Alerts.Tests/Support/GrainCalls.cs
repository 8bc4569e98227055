using System.Collections.Concurrent;

namespace Alerts.Tests.Support;

/// <summary>Counts the calls each grain of the test cluster receives, per method (an incoming call filter).</summary>
public static class GrainCalls
{
    private static readonly ConcurrentDictionary<(string Method, string Grain), int> Counts = new();

    public static void Add(ISiloBuilder silo) => silo.AddIncomingGrainCallFilter(async context =>
    {
        Counts.AddOrUpdate((context.InterfaceMethod.Name, context.TargetId.ToString()), 1, (_, count) => count + 1);
        await context.Invoke();
    });

    /// <summary>Calls of <paramref name="method"/> received by grains whose id contains <paramref name="key"/>.</summary>
    public static int Of(string method, string key) =>
        Counts.Where(pair => pair.Key.Method == method && pair.Key.Grain.Contains(key, StringComparison.Ordinal)).Sum(pair => pair.Value);
}
