using System.Net;
using System.Net.Sockets;

namespace Alerts.IntegrationTests.Support;

/// <summary>
/// A stack whose limits are small enough to reach in a test (issue 21): failed authentications per address, requests
/// per key, tenant quotas and the platform-event e-mail budget. Everything else is the default configuration.
/// </summary>
public sealed class LimitsStackFixture : IAsyncLifetime
{
    public const int FailedAuthBurst = 3_000;
    public const int KeyBurst = 40;
    public const int Users = 3;
    public const int Integrations = 3;
    public const int Connections = 2;
    public const int Webhooks = 2;
    public const int Keys = 8;
    public const int PlatformEventEmails = 3;
    public static readonly TimeSpan PlatformEventEmailWindow = TimeSpan.FromSeconds(10);

    private readonly LocalDeployment _stack = new(settings: new Dictionary<string, string>
    {
        ["Alerts__RateLimits__FailedAuthPerAddress__Burst"] = FailedAuthBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts__RateLimits__FailedAuthPerAddress__PerSecond"] = "1",
        ["Alerts__RateLimits__RequestsPerKey__Burst"] = KeyBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts__RateLimits__RequestsPerKey__PerSecond"] = "1",
        ["Alerts__Quotas__Users"] = Users.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts__Quotas__Integrations"] = Integrations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts__Quotas__Connections"] = Connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts__Quotas__Webhooks"] = Webhooks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts__Quotas__Keys"] = Keys.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts__Delivery__AllowLoopback"] = "true",
        ["Alerts__Quotas__PlatformEventEmails"] = PlatformEventEmails.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts__Quotas__PlatformEventEmailWindow"] = "00:00:10",
        ["Alerts__Silo__MinimumReminderPeriod"] = "00:00:01",
    });

    public LocalDeployment Stack => _stack;
    public HttpClient Api => _stack.Api;
    public Uri BaseAddress => _stack.Api.BaseAddress!;

    /// <summary>A client whose connections come from <paramref name="source"/> (another loopback address: its own budget).</summary>
    public HttpClient From(string source, string? bearer = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }

    public Task InitializeAsync() => _stack.StartAllAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LimitsStackTests : ICollectionFixture<LimitsStackFixture>
{
    public const string Name = "limits-stack";
}
