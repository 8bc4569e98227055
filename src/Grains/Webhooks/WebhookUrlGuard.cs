using System.Net;
using System.Net.Sockets;

namespace Alerts.Grains.Webhooks;

/// <summary>
/// The SSRF guard of webhook URLs (SPEC §6.6), pure apart from the resolver it is given: http or https only, no user
/// info, and every address the host resolves to must be public — not loopback (unless allowed, for development and
/// tests), link-local (which includes cloud metadata at 169.254.169.254), private, shared (100.64/10), unique-local,
/// multicast, unspecified or reserved. Checked at registration and again right before each delivery (DNS may change).
/// </summary>
public static class WebhookUrlGuard
{
    /// <summary>Null when the URL may be called; otherwise why not.</summary>
    public static async Task<string?> CheckAsync(
        string url, bool allowLoopback, Func<string, CancellationToken, Task<IPAddress[]>> resolve, CancellationToken cancellationToken = default)
    {
        if (ShapeProblem(url) is { } shape) return shape;
        var uri = new Uri(url);
        return (await ResolveAsync(uri.IdnHost, allowLoopback, resolve, cancellationToken, shownAs: uri.Host)).Problem;
    }

    /// <summary>
    /// The addresses a host resolves to (a literal address is not resolved), or why it may not be called: it does not
    /// resolve, or any of its addresses is not allowed. Used at registration and by the delivery's connect.
    /// </summary>
    public static async Task<(IPAddress[] Addresses, string? Problem)> ResolveAsync(
        string host, bool allowLoopback, Func<string, CancellationToken, Task<IPAddress[]>> resolve, CancellationToken cancellationToken,
        string? shownAs = null)
    {
        shownAs ??= host;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await resolve(host, cancellationToken);
            }
            catch (SocketException)
            {
                return ([], $"host '{shownAs}' does not resolve");
            }
        }
        if (addresses.Length == 0) return ([], $"host '{shownAs}' does not resolve");
        foreach (var address in addresses)
        {
            // The address itself is not repeated: the answer must not map a network for whoever registers URLs.
            if (!IsAllowed(address, allowLoopback)) return (addresses, $"host '{shownAs}' resolves to a private address");
        }
        return (addresses, null);
    }

    /// <summary>What is wrong with the URL itself (scheme, user info, length), or null.</summary>
    public static string? ShapeProblem(string url)
    {
        if (url.Length > 2048) return "must be at most 2048 characters";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "must be an absolute http or https URL";
        if (uri.UserInfo.Length > 0) return "must not carry a user name or password";
        if (uri.Host.Length == 0) return "must name a host";
        if (uri.IdnHost.Length > 253) return "must name a host of at most 253 characters";
        return null;
    }

    public static bool IsAllowed(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return allowLoopback;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0                                  // "this" network
                     || b[0] == 10                              // private
                     || (b[0] == 100 && (b[1] & 0xC0) == 64)    // shared address space (carrier-grade NAT)
                     || (b[0] == 169 && b[1] == 254)            // link-local, cloud metadata
                     || (b[0] == 172 && (b[1] & 0xF0) == 16)    // private
                     || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments
                     || (b[0] == 192 && b[1] == 168)            // private
                     || (b[0] == 198 && (b[1] & 0xFE) == 18)    // benchmarking
                     || b[0] >= 224);                           // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            // IPv6 forms that carry an IPv4 address reach that address: judge it instead.
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
                return IsAllowed(new IPAddress(b.AsSpan(12, 4)), allowLoopback);           // NAT64 well-known prefix 64:ff9b::/96
            if (b[0] == 0x20 && b[1] == 0x02) return IsAllowed(new IPAddress(b.AsSpan(2, 4)), allowLoopback); // 6to4 2002::/16
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4] == 0x00 && b[5] == 0x01) return false; // local NAT64 64:ff9b:1::/48
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return false; // Teredo 2001::/32
            if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) return false;               // IPv4-compatible ::/96 (and ::, ::1 handled above)
            if (b[0] == 0x01 && b.AsSpan(1, 7).IndexOfAnyExcept((byte)0) < 0) return false; // discard-only 100::/64
            return !(address.Equals(IPAddress.IPv6None)          // ::
                     || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                     || (b[0] & 0xFE) == 0xFC                   // unique local fc00::/7 (AWS metadata fd00:ec2::254 too)
                     || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)); // documentation
        }
        return false;
    }
}
