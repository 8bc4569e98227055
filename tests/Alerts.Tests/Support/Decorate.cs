using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Tests.Support;

/// <summary>Wraps a service the silo registered (the last unkeyed registration of it) in a test's decorator.</summary>
public static class Decorate
{
    public static void Service<T>(IServiceCollection services, Func<T, T> wrap) where T : class
    {
        var original = services.Last(d => d.ServiceType == typeof(T) && !d.IsKeyedService);
        services.Remove(original);
        services.AddSingleton<T>(provider => wrap(original.ImplementationFactory is { } factory
            ? (T)factory(provider)
            : original.ImplementationInstance as T ?? (T)ActivatorUtilities.CreateInstance(provider, original.ImplementationType!)));
    }
}
