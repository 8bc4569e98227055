using Alerts.Storage;
using Alerts.Storage.AzureTable;
using System.ComponentModel.DataAnnotations;

namespace Alerts.Gateway;

/// <summary>Configuration section <c>Alerts:Cluster</c>: where the gateway finds the silos.</summary>
public sealed class ClusterConnectionOptions
{
    public const string Section = "Alerts:Cluster";

    /// <summary><c>AzureTable</c> (find the silos in the membership table) or <c>Localhost</c> (one silo on this machine).</summary>
    public string Clustering { get; set; } = "AzureTable";

    /// <summary>With <c>Localhost</c>: the silo's gateway port.</summary>
    [Range(1, 65535)] public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "alerts-dev";

    public string ServiceId { get; set; } = "alerts";
}

/// <summary>Keeps trying to reach the cluster at start-up (the silo may still be starting), for about a minute.</summary>
public sealed class RetryConnectingAtStart : IClientConnectionRetryFilter
{
    private int _attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (++_attempts > 60) return false;
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return true;
    }
}

public static class ClusterConnection
{
    /// <summary>Connects the gateway's Orleans client the way the silos cluster (see <see cref="ClusterConnectionOptions"/>).</summary>
    public static IClientBuilder UseAlertsCluster(this IClientBuilder client, IConfiguration configuration)
    {
        var cluster = configuration.GetSection(ClusterConnectionOptions.Section).Get<ClusterConnectionOptions>() ?? new ClusterConnectionOptions();
        client.Configure<Orleans.Configuration.ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        switch (cluster.Clustering)
        {
            case "Localhost":
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
                break;
            case "AzureTable":
                // The silos' own storage settings (Alerts:Storage), so both sides name the membership table alike.
                var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
                client.UseAlertsAzureTableClustering(storage);
                break;
            default:
                throw new InvalidOperationException($"Alerts:Cluster:Clustering must be AzureTable or Localhost, not '{cluster.Clustering}'.");
        }
        // The request's trace goes on into the silos' grain calls.
        return client.AddActivityPropagation().UseConnectionRetryFilter<RetryConnectingAtStart>();
    }
}
