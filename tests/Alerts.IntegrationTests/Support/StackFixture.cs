using System.Net.Http.Headers;

namespace Alerts.IntegrationTests.Support;

/// <summary>
/// The local stack as run.sh starts it, on free ports: a maildev inbox, a silo and the HTTP gateway, each a
/// real process. Shared by the tests of one collection; each test works in organizations of its own.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    public const string OperatorKey = "test-operator-key-0123456789";

    private readonly List<ChildProcess> _processes = [];

    public int SmtpPort { get; } = Repository.FreePort();
    public int InboxPort { get; } = Repository.FreePort();
    public int SiloPort { get; } = Repository.FreePort();
    public int GatewayPort { get; } = Repository.FreePort();
    public int ApiPort { get; } = Repository.FreePort();

    public Azurite Storage { get; } = new();
    public ChildProcess MailDevProcess { get; private set; } = null!;
    public ChildProcess Silo { get; private set; } = null!;
    public ChildProcess Gateway { get; private set; } = null!;

    public HttpClient Api { get; } = new();
    public HttpClient Anonymous { get; } = new();
    public MailDev Inbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Storage.StartAsync();
        MailDevProcess = await StartMailDevAsync();
        Silo = ChildProcess.Dotnet("silo", Repository.Program("src/Silo", "Alerts.Silo"), SiloEnvironment());
        _processes.Add(Silo);
        await Silo.WaitForPortAsync(GatewayPort, TimeSpan.FromSeconds(60));

        Gateway = ChildProcess.Dotnet("gateway", Repository.Program("src/Api", "Alerts.Api"), new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ApiPort}",
            ["Alerts__OperatorKey"] = OperatorKey,
            ["Alerts__Storage__ConnectionString"] = Storage.ConnectionString,
        });
        _processes.Add(Gateway);

        var baseAddress = new Uri($"http://127.0.0.1:{ApiPort}");
        Api.BaseAddress = baseAddress;
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        Anonymous.BaseAddress = baseAddress;
        await WaitUntilReadyAsync();
    }

    public async Task<ChildProcess> StartMailDevAsync()
    {
        var mailDev = ChildProcess.Start("maildev", Repository.Tool("maildev"),
            ["--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--smtp", SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--web", InboxPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        _processes.Add(mailDev);
        await mailDev.WaitForPortAsync(SmtpPort, TimeSpan.FromSeconds(30));
        await mailDev.WaitForPortAsync(InboxPort, TimeSpan.FromSeconds(30));
        Inbox = new MailDev(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{InboxPort}") });
        return mailDev;
    }

    public Dictionary<string, string> SiloEnvironment() => new()
    {
        ["Alerts__Silo__SiloPort"] = SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts__Silo__GatewayPort"] = GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts__Storage__ConnectionString"] = Storage.ConnectionString,
        ["Alerts__Email__SmtpHost"] = "127.0.0.1",
        ["Alerts__Email__SmtpPort"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (Gateway.HasExited) throw new InvalidOperationException(Gateway.Tail);
            try
            {
                using var response = await Anonymous.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the gateway was not ready\n{Gateway.Tail}\n{Silo.Tail}");
    }

    public async Task DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes)) await process.DisposeAsync();
        await Storage.DisposeAsync();
        Api.Dispose();
        Anonymous.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class StackTests : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
