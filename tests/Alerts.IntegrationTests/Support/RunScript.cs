using System.Globalization;
using System.Net.Http.Headers;

namespace Alerts.IntegrationTests.Support;

/// <summary>
/// <c>./run.sh --no-build</c> as a user runs it — Azurite, maildev, the silo and the gateway, all started and stopped by
/// the script — on free ports and a data folder of the test's, with the binaries <c>./test.sh</c> built. Stopped the way a
/// user stops it: SIGTERM to the script alone.
/// </summary>
public sealed class RunScript(string dataFolder, IDictionary<string, string> settings) : IAsyncDisposable
{
    public const string OperatorKey = "run-script-operator-key-0123";

    private ChildProcess? _script;

    public int ApiPort { get; private set; }
    public HttpClient Api { get; } = new();
    public string Output => _script?.Tail ?? "";

    /// <summary>
    /// Starts the script and waits until the gateway answers ready. A restart (on the same data folder) keeps the API port,
    /// so <see cref="Api"/> keeps working; the other ports are chosen afresh.
    /// </summary>
    public Task StartAsync() => ApiPort != 0
        ? StartOnPortsAsync()
        : Repository.StartWithRetryAsync(() => ApiPort = Repository.FreePort(), StartOnPortsAsync, KillAsync);

    private async Task StartOnPortsAsync()
    {
        var environment = new Dictionary<string, string>(settings)
        {
            ["ALERTS_DATA"] = dataFolder,
            ["ALERTS_CONFIGURATION"] = Repository.Configuration,
            ["ALERTS_API_PORT"] = Port(ApiPort),
            ["ALERTS_STORAGE_PORT"] = Port(Repository.FreePortRun(3)),
            ["ALERTS_SMTP_PORT"] = Port(Repository.FreePort()),
            ["ALERTS_INBOX_PORT"] = Port(Repository.FreePort()),
            ["Alerts__Silo__SiloPort"] = Port(Repository.FreePort()),
            ["Alerts__Silo__GatewayPort"] = Port(Repository.FreePort()),
            ["Alerts__OperatorKey"] = OperatorKey,
        };
        _script = ChildProcess.Start("run.sh", Path.Combine(Repository.Root, "run.sh"), ["--no-build"], environment);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        using var probe = new HttpClient();
        while (true)
        {
            // The script exits when a server could not start (a port taken meanwhile): start again on other ports.
            if (_script.HasExited) throw new ProcessExitedException($"run.sh exited before it was ready\n{Output}");
            try
            {
                using var ready = await probe.GetAsync($"http://127.0.0.1:{ApiPort}/health/ready");
                if (ready.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"run.sh was not ready within 120 s\n{Output}");
            await Task.Delay(250);
        }
        if (Api.BaseAddress is null)
        {
            Api.BaseAddress = new Uri($"http://127.0.0.1:{ApiPort}");
            Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        }
    }

    /// <summary>SIGTERM to the script, as a user's Ctrl-C or a service manager does; its exit code and last output.</summary>
    public async Task<(int Code, string Output)> StopAsync(TimeSpan timeout)
    {
        var script = _script ?? throw new InvalidOperationException("run.sh is not running");
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", Port(script.Id)]))
            await kill.WaitForExitAsync();
        var code = await script.WaitForExitAsync(timeout);
        var output = script.Tail;
        await script.DisposeAsync();
        _script = null;
        return (code, output);
    }

    private async Task KillAsync()
    {
        if (_script is null) return;
        await _script.DisposeAsync();
        _script = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_script is { HasExited: false })
        {
            try
            {
                await StopAsync(TimeSpan.FromMinutes(3));
            }
            catch (OperationCanceledException)
            {
                // Killed below with everything it started.
            }
        }
        await KillAsync();
        Api.Dispose();
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
