using Alerts.Grains.Stores;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Alerts.Storage.Memory;

/// <summary>Every Alerts store in the silo's memory (unit tests and benchmarks: nothing survives a restart), by one call.</summary>
public static class MemoryStores
{
    public static ISiloBuilder AddAlertsMemoryStores(this ISiloBuilder silo, string grainStorageName)
    {
        silo.AddMemoryGrainStorage(grainStorageName);
        // The same binary format as the Azure provider (the memory provider defaults to JSON).
        silo.Services.AddOptions<MemoryGrainStorageOptions>(grainStorageName)
            .Configure<Serializer>((memory, serializer) => memory.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        silo.UseInMemoryReminderService();
        silo.Services.TryAddSingleton<IErrorLog, MemoryErrorLog>();
        silo.Services.TryAddSingleton<IJournal, MemoryJournal>();
        silo.Services.TryAddSingleton<IOrganizationDirectory, MemoryDirectory>();
        silo.Services.TryAddSingleton<INotificationHistory, MemoryNotificationHistory>();
        silo.Services.TryAddSingleton<IWebhookStore, MemoryWebhookStore>();
        return silo;
    }
}
