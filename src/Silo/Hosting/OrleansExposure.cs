using System.Net;
using System.Net.NetworkInformation;
using Alerts.Grains.Webhooks;

namespace Alerts.Silo.Hosting;

/// <summary>
/// The Orleans silo and gateway ports carry neither authentication nor TLS here: whoever reaches them can call any
/// grain. So a silo starts only where those ports face a private network — an advertised address that is loopback or
/// private and, when it listens on every interface, no public address among the machine's — unless the operator says
/// a firewall already keeps them private (<c>Alerts:Silo:AllowPublicAddress</c>).
/// </summary>
public static class OrleansExposure
{
    /// <summary>Why this silo may not start as configured, or null.</summary>
    public static string? Problem(SiloOptions options, IPAddress advertised, IEnumerable<IPAddress> interfaces)
    {
        if (options.AllowPublicAddress) return null;
        const string Remedy = "keep the silo on a private network (the silo and gateway ports have no authentication or TLS), or set " +
                              "Alerts__Silo__AllowPublicAddress=true when a firewall already keeps those ports private";
        if (IsPublic(advertised))
            return $"Alerts:Silo:AdvertisedAddress {advertised} is a public address: {Remedy}.";
        if (options.ListenOnAnyAddress && interfaces.FirstOrDefault(IsPublic) is { } exposed)
            return $"Alerts:Silo:ListenOnAnyAddress would listen on the public address {exposed} too: {Remedy}.";
        return null;
    }

    /// <summary>The machine's own unicast addresses.</summary>
    public static IEnumerable<IPAddress> InterfaceAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses.Select(unicast => unicast.Address));

    /// <summary>Public as the webhook guard judges it: not loopback, private, link-local, shared or reserved.</summary>
    private static bool IsPublic(IPAddress address) => WebhookUrlGuard.IsAllowed(address, allowLoopback: false);
}
