using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Alerts.IntegrationTests.Support;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>, installed by ./test.sh) on loopback, scraping one target every second
/// into a data folder of its own; stopped by PID.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private readonly string _folder = Directory.CreateTempSubdirectory("alerts-prometheus-").FullName;
    private ChildProcess? _process;
    private readonly HttpClient _http = new();

    public int Port { get; private set; }

    public static async Task<PrometheusServer> StartAsync(Uri target)
    {
        var server = new PrometheusServer();
        await File.WriteAllTextAsync(Path.Combine(server._folder, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: alerts
                metrics_path: /metrics
                static_configs:
                  - targets: ['{target.Authority}']
            """);
        await Repository.StartWithRetryAsync(() => server.Port = Repository.FreePort(), server.StartOnPortAsync, server.StopAsync);
        server._http.BaseAddress = new Uri($"http://127.0.0.1:{server.Port}/");
        return server;
    }

    private async Task StartOnPortAsync()
    {
        _process = ChildProcess.Start("prometheus", Binary,
        [
            $"--config.file={Path.Combine(_folder, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(_folder, "data")}",
            $"--web.listen-address=127.0.0.1:{Port}",
        ]);
        await _process.WaitForPortAsync(Port, TimeSpan.FromSeconds(60));
    }

    private async Task StopAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>The value of an instant query returning one number (null when it returns nothing yet).</summary>
    public async Task<double?> ValueAsync(string query)
    {
        var answer = await _http.GetFromJsonAsync<JsonNode>($"api/v1/query?query={Uri.EscapeDataString(query)}");
        if ((string?)answer?["status"] != "success") throw new InvalidOperationException($"Prometheus refused {query}: {answer}");
        var result = answer!["data"]!["result"]!.AsArray();
        if (result.Count == 0) return null;
        return double.Parse((string)result[0]!["value"]![1]!, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.TerminateAsync(TimeSpan.FromSeconds(10));
        await StopAsync();
        _http.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Prometheus may still hold a file for a moment; the temp folder is cleaned by the system.
        }
    }
}
