using System.ComponentModel.DataAnnotations;

namespace Alerts.Silo.Hosting;

/// <summary>Configuration section <c>Alerts:Silo</c>: how this silo joins the cluster.</summary>
public sealed class SiloOptions
{
    public const string Section = "Alerts:Silo";

    [Range(1, 65535)] public int SiloPort { get; set; } = 11111;

    /// <summary>Where Orleans clients (the HTTP gateway, other .NET services) connect.</summary>
    [Range(1, 65535)] public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "alerts-dev";

    public string ServiceId { get; set; } = "alerts";
}
