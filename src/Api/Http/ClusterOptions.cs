using System.ComponentModel.DataAnnotations;

namespace Alerts.Api.Http;

/// <summary>Configuration section <c>Alerts:Cluster</c>: where the gateway finds the silos.</summary>
public sealed class ClusterConnectionOptions
{
    public const string Section = "Alerts:Cluster";

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
