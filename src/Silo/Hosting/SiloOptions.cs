using System.ComponentModel.DataAnnotations;

namespace Alerts.Silo.Hosting;

/// <summary>Configuration section <c>Alerts:Silo</c>: how this silo joins the cluster.</summary>
public sealed class SiloOptions
{
    public const string Section = "Alerts:Silo";

    /// <summary><c>AzureTable</c> (membership table in <c>Alerts:Storage</c>; any number of silos) or <c>Localhost</c> (one silo, no table).</summary>
    public string Clustering { get; set; } = "AzureTable";

    /// <summary>The address other silos and clients use to reach this one: an IP address or a host name to resolve.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen on every interface rather than only the advertised address (containers).</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>
    /// Start even where the silo's ports face a public address (see <see cref="OrleansExposure"/>): only when a firewall
    /// or security group already keeps them private.
    /// </summary>
    public bool AllowPublicAddress { get; set; }

    [Range(1, 65535)] public int SiloPort { get; set; } = 11111;

    /// <summary>Where Orleans clients (the HTTP gateway, other .NET services) connect.</summary>
    [Range(1, 65535)] public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "alerts-dev";

    public string ServiceId { get; set; } = "alerts";

    /// <summary>Declare a silo dead within seconds instead of about a minute (tests of failover).</summary>
    public bool FastFailureDetection { get; set; }

    /// <summary>Lower bound for reminder periods; Orleans' production default is one minute (tests lower it).</summary>
    public TimeSpan? MinimumReminderPeriod { get; set; }
}
