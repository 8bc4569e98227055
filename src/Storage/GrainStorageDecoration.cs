using Orleans.Storage;

namespace Alerts.Storage;

/// <summary>Wraps a named grain storage already registered (by a factory, as Orleans' providers register) in another.</summary>
public static class GrainStorageDecoration
{
    public static void Decorate(IServiceCollection services, string name, Func<IServiceProvider, IGrainStorage, IGrainStorage> wrap)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        var create = registered.KeyedImplementationFactory ?? throw new InvalidOperationException($"Grain storage '{name}' is not registered by a factory.");
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => wrap(provider, (IGrainStorage)create(provider, key)));
    }
}
