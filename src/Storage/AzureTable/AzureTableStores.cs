using Alerts.Grains.Stores;
using Alerts.Storage.AzureTable.Providers;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Alerts.Storage.AzureTable;

/// <summary>Every Alerts store on Azure Tables (Azurite locally), registered by one call.</summary>
public static class AzureTableStores
{
    /// <summary>
    /// Grain state (as <paramref name="grainStorageName"/>), reminders, the journal, the directory, the error log, the
    /// notification history and the webhook log, each in its own table named <c>{TablePrefix}{Name}</c>, created at start-up.
    /// </summary>
    public static ISiloBuilder AddAlertsAzureTableStores(this ISiloBuilder silo, StorageOptions storage, string grainStorageName)
    {
        silo.AddAzureTableGrainStorage(grainStorageName, o => Table(o, storage, "GrainState"));
        silo.AddAzureTableReminders(o => Table(o, storage, "Reminders"));
        var tables = new TableServiceClient(storage.ConnectionString);
        TableClient Named(string name) => tables.GetTableClient(storage.TablePrefix + name);
        Add<IErrorLog, AzureTableErrorLog>(silo.Services, _ => new AzureTableErrorLog(Named("ErrorLog")), s => s.InitializeAsync);
        Add<IJournal, AzureTableJournal>(silo.Services, _ => new AzureTableJournal(Named("Journal")), s => s.InitializeAsync);
        Add<IOrganizationDirectory, AzureTableDirectory>(silo.Services, _ => new AzureTableDirectory(Named("Directory")), s => s.InitializeAsync);
        Add<INotificationHistory, AzureTableNotificationHistory>(silo.Services,
            sp => new AzureTableNotificationHistory(Named("Notifications"), sp.GetRequiredService<Orleans.Serialization.Serializer>()), s => s.InitializeAsync);
        Add<IWebhookStore, AzureTableWebhookStore>(silo.Services, _ => new AzureTableWebhookStore(Named("Webhooks")), s => s.InitializeAsync);
        return silo;
    }

    /// <summary>Sets a provider's connection and table the way every Alerts table is named.</summary>
    public static void Table(AzureTableOptions table, StorageOptions storage, string name)
    {
        table.ConnectionString = storage.ConnectionString;
        table.TableName = storage.TablePrefix + name;
    }

    /// <summary>A store as a singleton behind its interface, its table created before the silo takes calls.</summary>
    private static void Add<TStore, TTable>(
        IServiceCollection services, Func<IServiceProvider, TTable> create, Func<TTable, Func<CancellationToken, Task>> initialize)
        where TStore : class
        where TTable : class, TStore
    {
        services.AddSingleton(create);
        services.TryAddSingleton<TStore>(sp => sp.GetRequiredService<TTable>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new StartupTask(
            typeof(TTable).Name, initialize(sp.GetRequiredService<TTable>())));
    }
}
