using System.Net;

namespace Alerts.Api.Auth;

/// <summary>
/// The development operator key (<c>dev-operator-key</c>, what <c>./run.sh</c> uses when none is set) is public: a host
/// refuses to start with it unless its HTTP server listens on loopback only.
/// </summary>
public static class DevelopmentKeyGuard
{
    public const string DevelopmentKey = "dev-operator-key";

    public const string Refusal =
        "Alerts:OperatorKey is the development key 'dev-operator-key' while HTTP listens beyond loopback (ASPNETCORE_URLS / urls): " +
        "set Alerts__OperatorKey to a secret of 16 characters or more";

    /// <summary>Whether the key may be used with these server URLs (ASP.NET Core's <c>urls</c> setting; unset means localhost:5000).</summary>
    public static bool Allows(string key, string? urls) => key != DevelopmentKey || LoopbackOnly(urls);

    public static bool LoopbackOnly(string? urls) =>
        string.IsNullOrWhiteSpace(urls) || urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(IsLoopback);

    private static bool IsLoopback(string url)
    {
        // http://*:80, http://+:80 and http://0.0.0.0:80 bind every interface; Uri cannot parse the first two.
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var host = rest.StartsWith('[') ? rest[..(rest.IndexOf(']') + 1)] : rest.Split(':', '/')[0];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
