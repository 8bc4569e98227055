using Alerts.Grains.Stores;
using Alerts.Storage.AzureTable.Migration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.ReminderService;
using Orleans.Serialization;
using Orleans.Storage;

namespace Alerts.Storage.AzureTable;

/// <summary>Every Alerts store on Azure Tables (Azurite locally), registered by one call.</summary>
public static class AzureTableStores
{
    /// <summary>
    /// Grain state (as <paramref name="grainStorageName"/>) and reminders with Orleans' own Azure providers; the journal,
    /// the directory, the error log, the notification history and the webhook log in tables of Alerts' own. Every table
    /// is named <c>{TablePrefix}{Name}</c> (<see cref="StorageOptions"/>) and created at start-up.
    /// </summary>
    public static ISiloBuilder AddAlertsAzureTableStores(this ISiloBuilder silo, StorageOptions storage, string grainStorageName)
    {
        var tables = new TableServiceClient(storage.ConnectionString);
        TableClient Named(string name) => tables.GetTableClient(storage.TablePrefix + name);

        silo.AddAzureTableGrainStorage(grainStorageName, options => options.Configure<Serializer>((table, serializer) =>
        {
            table.TableServiceClient = tables;
            table.TableName = storage.TablePrefix + StorageOptions.GrainStateTable;
            // Orleans' binary, version-tolerant format (the provider defaults to JSON); the same bytes Alerts stored before.
            table.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            table.DeleteStateOnClear = true;
        }));
        ReadThroughOldGrainState(silo.Services, grainStorageName, Named(StorageOptions.LegacyGrainStateTable));

        silo.UseAzureTableReminderService(options => options.Configure(table =>
        {
            table.TableServiceClient = tables;
            table.TableName = storage.TablePrefix + StorageOptions.RemindersTable;
        }));
        MoveOldReminders(silo.Services, Named(StorageOptions.LegacyRemindersTable));

        Add<IErrorLog, AzureTableErrorLog>(silo.Services, _ => new AzureTableErrorLog(Named("ErrorLog")), s => s.InitializeAsync);
        Add<IJournal, AzureTableJournal>(silo.Services, _ => new AzureTableJournal(Named("Journal")), s => s.InitializeAsync);
        Add<IOrganizationDirectory, AzureTableDirectory>(silo.Services, _ => new AzureTableDirectory(Named("Directory")), s => s.InitializeAsync);
        Add<INotificationHistory, AzureTableNotificationHistory>(silo.Services,
            sp => new AzureTableNotificationHistory(Named("Notifications"), sp.GetRequiredService<Serializer>()), s => s.InitializeAsync);
        Add<IWebhookStore, AzureTableWebhookStore>(silo.Services, _ => new AzureTableWebhookStore(Named("Webhooks")), s => s.InitializeAsync);
        return silo;
    }

    /// <summary>Silo membership in Orleans' Azure table (<c>{TablePrefix}OrleansSiloInstances</c>).</summary>
    public static ISiloBuilder UseAlertsAzureTableClustering(this ISiloBuilder silo, StorageOptions storage) =>
        silo.UseAzureStorageClustering(options => options.Configure(table =>
        {
            table.TableServiceClient = new TableServiceClient(storage.ConnectionString);
            table.TableName = storage.TablePrefix + StorageOptions.MembershipTable;
        }));

    /// <summary>An Orleans client's list of gateways, from the silos' membership table.</summary>
    public static IClientBuilder UseAlertsAzureTableClustering(this IClientBuilder client, StorageOptions storage) =>
        client.UseAzureStorageClustering(options => options.Configure(table =>
        {
            table.TableServiceClient = new TableServiceClient(storage.ConnectionString);
            table.TableName = storage.TablePrefix + StorageOptions.MembershipTable;
        }));

    /// <summary>Wraps the grain storage just registered so that it reads what the old provider wrote (see <see cref="MigratingGrainStorage"/>).</summary>
    private static void ReadThroughOldGrainState(IServiceCollection services, string name, TableClient legacyTable) =>
        GrainStorageDecoration.Decorate(services, name, (provider, current) => new MigratingGrainStorage(
            current,
            new LegacyStateTable(legacyTable, provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId),
            provider.GetRequiredService<Serializer>(),
            provider.GetRequiredService<ILogger<MigratingGrainStorage>>()));

    /// <summary>Replaces the reminder table just registered with one that first moves the old table's reminders into it.</summary>
    private static void MoveOldReminders(IServiceCollection services, TableClient legacyTable)
    {
        services.RemoveAll<IReminderTable>();
        services.AddSingleton<AzureBasedReminderTable>();
        services.AddSingleton<IReminderTable>(provider => new MigratingReminderTable(
            provider.GetRequiredService<AzureBasedReminderTable>(),
            legacyTable,
            provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            provider.GetRequiredService<ILogger<MigratingReminderTable>>()));
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
