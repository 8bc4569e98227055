using Alerts.Storage;
using Alerts.Storage.AzureTable;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace Alerts.IntegrationTests.Storage;

/// <summary>
/// The grain storage and reminder table exactly as a silo registers them (<see cref="AzureTableStores"/>), on
/// Azurite, started through a silo lifecycle of their own: no silo, no ports, the providers' real start-up.
/// </summary>
public sealed class StorageProviders : IAsyncDisposable
{
    public const string StateName = "state";

    private readonly ServiceProvider _services;
    private readonly SiloLifecycleSubject _lifecycle;

    private StorageProviders(ServiceProvider services)
    {
        _services = services;
        _lifecycle = new SiloLifecycleSubject(NullLogger<SiloLifecycleSubject>.Instance);
    }

    public IGrainStorage Grains => _services.GetRequiredKeyedService<IGrainStorage>(StateName);

    public IReminderTable Reminders => _services.GetRequiredService<IReminderTable>();

    public static async Task<StorageProviders> StartAsync(StorageOptions storage, string serviceId = "alerts")
    {
        var builder = new Builder();
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.Services.AddSerializer();
        builder.Services.Configure<ClusterOptions>(cluster => { cluster.ServiceId = serviceId; cluster.ClusterId = "tests"; });
        builder.AddAlertsAzureTableStores(storage, StateName);
        var providers = new StorageProviders(builder.Services.BuildServiceProvider());
        if (providers.Grains is ILifecycleParticipant<ISiloLifecycle> participant) participant.Participate(providers._lifecycle);
        await providers._lifecycle.OnStart();
        await providers.Reminders.StartAsync();
        return providers;
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.OnStop();
        await _services.DisposeAsync();
    }

    private sealed class Builder : ISiloBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();
        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }
}
