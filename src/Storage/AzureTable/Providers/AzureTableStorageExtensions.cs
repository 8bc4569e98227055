using Alerts.Storage.AzureTable;
using Alerts.Storage.AzureTable.Providers;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Messaging;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;

namespace Alerts.Storage.AzureTable.Providers;

/// <summary>One registration call per provider, each with its options validated at start-up.</summary>
public static class AzureTableStorageExtensions
{
    /// <summary>Grain state for grains that name storage <paramref name="name"/>.</summary>
    public static ISiloBuilder AddAzureTableGrainStorage(
        this ISiloBuilder silo, string name, Action<AzureTableGrainStorageOptions> configure)
    {
        silo.Services.AddOptions<AzureTableGrainStorageOptions>(name).Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.AddGrainStorage(name, (services, storageName) => new AzureTableGrainStorage(
            storageName,
            services.GetRequiredService<IOptionsMonitor<AzureTableGrainStorageOptions>>().Get(storageName),
            services.GetRequiredService<IOptions<ClusterOptions>>(),
            services.GetRequiredService<Serializer>(),
            services.GetRequiredService<ILogger<AzureTableGrainStorage>>()));
        return silo;
    }

    /// <summary>Reminders that survive a restart of the whole cluster.</summary>
    public static ISiloBuilder AddAzureTableReminders(this ISiloBuilder silo, Action<AzureTableReminderOptions> configure)
    {
        silo.Services.AddOptions<AzureTableReminderOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        silo.AddReminders();
        silo.Services.AddSingleton<IReminderTable, AzureTableReminderTable>();
        return silo;
    }

    /// <summary>Cluster membership for silos.</summary>
    public static ISiloBuilder AddAzureTableClustering(this ISiloBuilder silo, Action<AzureTableClusteringOptions> configure)
    {
        silo.Services.AddOptions<AzureTableClusteringOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.AddSingleton<IMembershipTable, AzureTableMembershipTable>();
        return silo;
    }

    /// <summary>Gateway discovery for Orleans clients, from the silos' membership table.</summary>
    public static IClientBuilder AddAzureTableClustering(this IClientBuilder client, Action<AzureTableClusteringOptions> configure)
    {
        client.Services.AddOptions<AzureTableClusteringOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        client.Services.AddSingleton<IGatewayListProvider, AzureTableGatewayListProvider>();
        return client;
    }
}
