using System.Globalization;
using System.Net.Http.Headers;
using Alerts.Storage;
using Alerts.Storage.AzureTable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Alerts.IntegrationTests.Support;

/// <summary>
/// The processes run.sh starts — Azurite, maildev, silos serving the HTTP API themselves — on free ports, each started
/// and stopped (gracefully or killed) by the test. <see cref="Api"/> talks to the silo holding <see cref="ApiPort"/>: the
/// first one started, and after it stops, the next one started takes the port over. With <c>standaloneGateway</c> the
/// API is a gateway process of its own (src/Gateway) instead. Everything is stopped on dispose.
/// </summary>
public sealed class LocalDeployment : IAsyncDisposable
{
    public const string OperatorKey = "test-operator-key-0123456789";

    private readonly List<ChildProcess> _processes = [];
    private readonly Dictionary<string, string> _settings;
    private IHost? _client;

    public LocalDeployment(string? storageLocation = null, IDictionary<string, string>? settings = null, bool standaloneGateway = false)
    {
        Storage = new Azurite(storageLocation);
        _settings = new Dictionary<string, string>(settings ?? new Dictionary<string, string>());
        StandaloneGateway = standaloneGateway;
    }

    /// <summary>The API is served by a gateway process rather than by a silo.</summary>
    public bool StandaloneGateway { get; }

    public string ClusterId { get; } = "test-" + Guid.NewGuid().ToString("N")[..8];
    public Azurite Storage { get; }
    public int SmtpPort { get; private set; }
    public int InboxPort { get; private set; }
    public int ApiPort { get; private set; }
    public List<SiloProcess> Silos { get; } = [];
    /// <summary>The process serving <see cref="ApiPort"/>: a silo, or the standalone gateway.</summary>
    public ChildProcess? Gateway { get; private set; }
    public ChildProcess? MailDevProcess { get; private set; }
    public MailDev Inbox => new(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{InboxPort}") });

    /// <summary>An authorized client for the gateway.</summary>
    public HttpClient Api { get; } = new();

    public HttpClient Anonymous { get; } = new();

    /// <summary>For readiness checks: its requests go to whatever port the gateway is trying now.</summary>
    private HttpClient Probe { get; } = new();

    /// <summary>Everything run.sh starts: Azurite, the inbox and one silo serving the API (and the gateway, if standalone).</summary>
    public async Task<LocalDeployment> StartAllAsync()
    {
        await Storage.StartAsync();
        await StartMailDevAsync();
        await StartSiloAsync();
        if (StandaloneGateway) await StartGatewayAsync();
        return this;
    }

    /// <summary>
    /// The first start chooses the inbox's ports, unless a silo already sends to them; a restart keeps them (the silos
    /// are configured with them).
    /// </summary>
    public Task StartMailDevAsync() => SmtpPort != 0
        ? StartMailDevOnPortsAsync()
        : Repository.StartWithRetryAsync(ChooseInboxPorts, StartMailDevOnPortsAsync, StopMailDevAsync);

    private void ChooseInboxPorts() => (SmtpPort, InboxPort) = (Repository.FreePort(), Repository.FreePort());

    private async Task StartMailDevOnPortsAsync()
    {
        MailDevProcess = ChildProcess.Start("maildev", Repository.Tool("maildev"),
            ["--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--smtp", Port(SmtpPort), "--web", Port(InboxPort)]);
        _processes.Add(MailDevProcess);
        await MailDevProcess.WaitForPortAsync(SmtpPort, TimeSpan.FromSeconds(30));
        await MailDevProcess.WaitForPortAsync(InboxPort, TimeSpan.FromSeconds(30));
    }

    public async Task StopMailDevAsync()
    {
        if (MailDevProcess is null) return;
        await MailDevProcess.DisposeAsync();
        _processes.Remove(MailDevProcess);
        MailDevProcess = null;
    }

    /// <summary>
    /// Starts a silo; it serves the API on <see cref="ApiPort"/> when no running silo does (and the API is not a standalone
    /// gateway's), on a port of its own otherwise.
    /// </summary>
    public async Task<SiloProcess> StartSiloAsync()
    {
        SiloProcess? silo = null;
        var servesApi = !StandaloneGateway && Silos.All(s => s.HttpPort != ApiPort);
        var firstApi = servesApi && ApiPort == 0;
        await Repository.StartWithRetryAsync(
            () =>
            {
                if (firstApi) ApiPort = Repository.FreePort();
                silo = new SiloProcess(Repository.FreePort(), Repository.FreePort(), servesApi ? ApiPort : Repository.FreePort());
            },
            () => StartSiloOnPortsAsync(silo!),
            () => StopSiloAsync(silo!, kill: true));
        if (servesApi)
        {
            Gateway = silo!.Process;
            await WaitUntilReadyAsync();
            UseApiPort();
        }
        return silo!;
    }

    private async Task StartSiloOnPortsAsync(SiloProcess silo)
    {
        // A silo started before the inbox sends to the ports the inbox will get.
        if (SmtpPort == 0) ChooseInboxPorts();
        var environment = new Dictionary<string, string>(_settings)
        {
            ["Alerts__Silo__SiloPort"] = Port(silo.SiloPort),
            ["Alerts__Silo__GatewayPort"] = Port(silo.GatewayPort),
            ["Alerts__Silo__ClusterId"] = ClusterId,
            ["Alerts__Storage__ConnectionString"] = Storage.ConnectionString,
            ["Alerts__Email__SmtpHost"] = "127.0.0.1",
            ["Alerts__Email__SmtpPort"] = Port(SmtpPort),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{silo.HttpPort}",
            ["Alerts__OperatorKey"] = OperatorKey,
        };
        silo.Process = ChildProcess.Dotnet($"silo:{silo.SiloPort}", Repository.Program("src/Silo", "Alerts.Silo"), environment);
        _processes.Add(silo.Process);
        Silos.Add(silo);
        await silo.Process.WaitForPortAsync(silo.GatewayPort, TimeSpan.FromSeconds(60));
        await silo.Process.WaitForPortAsync(silo.HttpPort, TimeSpan.FromSeconds(60));
    }

    /// <summary>Stops a silo: gracefully (SIGTERM, it leaves the cluster) or by killing it (as a crash would).</summary>
    public async Task StopSiloAsync(SiloProcess silo, bool kill)
    {
        if (kill) silo.Process.Kill();
        else await silo.Process.TerminateAsync(TimeSpan.FromSeconds(30));
        await silo.Process.DisposeAsync();
        _processes.Remove(silo.Process);
        Silos.Remove(silo);
        if (Gateway == silo.Process) Gateway = null;
    }

    /// <summary>The standalone gateway (src/Gateway). The first start chooses the API's port; a restart keeps it.</summary>
    public Task StartGatewayAsync() => ApiPort != 0
        ? StartGatewayOnPortAsync()
        : Repository.StartWithRetryAsync(() => ApiPort = Repository.FreePort(), StartGatewayOnPortAsync, StopGatewayAsync);

    private async Task StartGatewayOnPortAsync()
    {
        var environment = new Dictionary<string, string>(_settings)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ApiPort}",
            ["Alerts__OperatorKey"] = OperatorKey,
            ["Alerts__Cluster__ClusterId"] = ClusterId,
            ["Alerts__Storage__ConnectionString"] = Storage.ConnectionString,
        };
        Gateway = ChildProcess.Dotnet("gateway", Repository.Program("src/Gateway", "Alerts.Gateway"), environment);
        _processes.Add(Gateway);
        await WaitUntilReadyAsync();
        UseApiPort();
    }

    private void UseApiPort()
    {
        var baseAddress = new Uri($"http://127.0.0.1:{ApiPort}");
        Api.BaseAddress ??= baseAddress;
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        Anonymous.BaseAddress ??= baseAddress;
    }

    /// <summary>Stops the standalone gateway; where the silos serve the API, there is none and nothing happens.</summary>
    public async Task StopGatewayAsync()
    {
        if (!StandaloneGateway || Gateway is null) return;
        await Gateway.TerminateAsync(TimeSpan.FromSeconds(30));
        await Gateway.DisposeAsync();
        _processes.Remove(Gateway);
        Gateway = null;
    }

    /// <summary>An Orleans client in the test process that finds the silos through the membership table.</summary>
    public async Task<IClusterClient> ClientAsync()
    {
        if (_client is not null) return _client.Services.GetRequiredService<IClusterClient>();
        var connectAttempts = 0;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => { o.ClusterId = ClusterId; o.ServiceId = "alerts"; })
            .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10))
            .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2))
            .UseAlertsAzureTableClustering(new StorageOptions { ConnectionString = Storage.ConnectionString })
            .AddActivityPropagation()
            .UseConnectionRetryFilter(async (_, cancellation) =>
            {
                // The silos may still be joining: keep asking for a minute.
                if (++connectAttempts > 120) return false;
                await Task.Delay(500, cancellation);
                return true;
            }));
        _client = builder.Build();
        await _client.StartAsync();
        return _client.Services.GetRequiredService<IClusterClient>();
    }

    public async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (Gateway!.HasExited) throw new ProcessExitedException(Gateway.Tail);
            try
            {
                using var response = await Probe.GetAsync($"http://127.0.0.1:{ApiPort}/health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the gateway was not ready\n{Gateway!.Tail}\n{string.Join('\n', Silos.Select(s => s.Process.Tail))}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
            }
            catch (OperationCanceledException)
            {
                // The cluster may already be gone.
            }
            _client.Dispose();
        }
        foreach (var process in Enumerable.Reverse(_processes).ToList()) await process.DisposeAsync();
        await Storage.DisposeAsync();
        Api.Dispose();
        Anonymous.Dispose();
        Probe.Dispose();
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}

public sealed class SiloProcess(int siloPort, int gatewayPort, int httpPort)
{
    public int SiloPort { get; } = siloPort;
    public int GatewayPort { get; } = gatewayPort;

    /// <summary>Where this silo serves the HTTP API.</summary>
    public int HttpPort { get; } = httpPort;
    public ChildProcess Process { get; set; } = null!;
}
