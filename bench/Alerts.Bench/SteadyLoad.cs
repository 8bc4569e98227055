using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace Alerts.Bench;

/// <summary>
/// The soak (bench/soak.sh): reports over HTTP at a fixed rate — open loop, so a slow answer does not slow the sender
/// and its wait shows in the latency — for a number of minutes, over organizations with ten integrations each, one
/// report in ten an error (a hundred recurring errors per flow, as real traffic repeats). Every minute one row: requests,
/// refusals, p50 and p99 latency, the silo's and Azurite's resident memory and CPU, and the size of Azurite's data.
/// </summary>
public sealed class SteadyLoad(SteadyOptions options) : IDisposable
{
    private const int Integrations = 10;
    private static readonly string[] OutgoingErrors = ["outgoing_integration__error"];

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private ConcurrentQueue<double> _latencies = new();
    private long _sent, _refused, _failed, _inFlight;

    private string Org(int i) => $"soak-{_run}-{i}";

    public async Task PrepareAsync()
    {
        _http.BaseAddress = new Uri(options.Url);
        _http.DefaultRequestHeaders.Authorization = new("Bearer", options.Key);
        for (var i = 0; i < options.Orgs; i++)
        {
            var org = Org(i);
            await PutAsync($"/api/v1/orgs/{org}", new
            {
                name = $"Soak {i}", environment = "production", production = true, primary_contact = $"owner@{org}.example.test",
                settings = new { integration_notifications = new { outgoing_integrations = new { failure_limit = 500, failure_interval = "1h" } } },
            });
            await PutAsync($"/api/v1/orgs/{org}/users/ops", new { email = $"ops@{org}.example.test", name = "Ops", role = "monitor", notification_events = OutgoingErrors });
            for (var n = 0; n < Integrations; n++)
                await PutAsync($"/api/v1/orgs/{org}/integrations/int-{n}", new { name = $"Integration {n}", type = n % 2 == 0 ? "outbound_webhook" : "inbound_webhook" });
        }
    }

    private async Task PutAsync(string path, object body)
    {
        using var response = await _http.PutAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<List<SoakRow>> RunAsync()
    {
        var rows = new List<SoakRow>();
        var requestsPerSecond = (double)options.Rate / options.Batch;
        var clock = Stopwatch.StartNew();
        var minute = 1;
        var probe = new ProcessProbe(options.SiloPid, options.AzuritePid);
        probe.Sample();
        long issued = 0, sentBefore = 0, refusedBefore = 0, failedBefore = 0;
        Console.WriteLine(SoakRow.Header);
        while (minute <= options.Minutes)
        {
            // Open loop: as many requests as the rate says by now, whatever the previous ones are doing (capped, so a
            // stalled server does not make the sender itself run out of memory).
            var due = (long)(clock.Elapsed.TotalSeconds * requestsPerSecond);
            while (issued < due && Interlocked.Read(ref _inFlight) < 2_000)
            {
                var number = issued++;
                _ = SendAsync(number);
            }
            if (clock.Elapsed >= TimeSpan.FromMinutes(minute))
            {
                var latencies = Interlocked.Exchange(ref _latencies, new ConcurrentQueue<double>()).ToArray();
                Array.Sort(latencies);
                var (sent, refused, failed) = (Interlocked.Read(ref _sent), Interlocked.Read(ref _refused), Interlocked.Read(ref _failed));
                var sample = probe.Sample();
                var row = new SoakRow(minute, (sent - sentBefore) * options.Batch, refused - refusedBefore, failed - failedBefore,
                    Percentile(latencies, 0.50), Percentile(latencies, 0.99), sample.SiloRssMb, sample.SiloCpuPercent,
                    sample.AzuriteRssMb, sample.AzuriteCpuPercent, DirectoryMegabytes(options.AzuriteDir));
                (sentBefore, refusedBefore, failedBefore) = (sent, refused, failed);
                Console.WriteLine(row);
                rows.Add(row);
                minute++;
            }
            await Task.Delay(5);
        }
        return rows;
    }

    private async Task SendAsync(long number)
    {
        Interlocked.Increment(ref _inFlight);
        var org = Org((int)(number % options.Orgs));
        var events = new object[options.Batch];
        for (var i = 0; i < options.Batch; i++)
        {
            var serial = number * options.Batch + i;
            var integration = $"int-{serial % Integrations}";
            events[i] = serial % 10 == 0
                ? new { event_id = $"{_run}-{serial}", integration_id = integration, outcome = "error", status_code = 502, message = "Bad Gateway", flow = "sync", trace_key = $"t-{serial % 100}" }
                : (object)new { event_id = $"{_run}-{serial}", integration_id = integration, outcome = "success", status_code = 200, flow = "sync" };
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.PostAsJsonAsync($"/api/v1/orgs/{org}/events", new { events });
            _latencies.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (response.StatusCode == HttpStatusCode.Accepted) Interlocked.Increment(ref _sent);
            else Interlocked.Increment(ref _refused);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public void Dispose() => _http.Dispose();

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];

    private static double DirectoryMegabytes(string? path) => path is null || !Directory.Exists(path)
        ? double.NaN
        : new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) / 1048576.0;
}

public sealed record SteadyOptions(string Url, string Key, int Rate, int Batch, int Minutes, int Orgs, int? SiloPid, int? AzuritePid, string? AzuriteDir);

public sealed record SoakRow(
    int Minute, long Reports, long Refused, long Failed, double P50Ms, double P99Ms, double SiloRssMb, double SiloCpuPercent,
    double AzuriteRssMb, double AzuriteCpuPercent, double AzuriteDataMb)
{
    public const string Header = "minute  reports/min  refused  failed  p50 ms  p99 ms  silo RSS MB  silo CPU %  Azurite RSS MB  Azurite CPU %  Azurite data MB";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Minute,6}  {Reports,11:N0}  {Refused,7}  {Failed,6}  {P50Ms,6:0.0}  {P99Ms,6:0.0}  {SiloRssMb,11:0}  {SiloCpuPercent,10:0}  {AzuriteRssMb,14:0}  {AzuriteCpuPercent,13:0}  {AzuriteDataMb,15:0.0}");
}

/// <summary>Resident memory and CPU (share of one core since the last sample) of two processes, from /proc.</summary>
public sealed class ProcessProbe(int? silo, int? azurite)
{
    private readonly Dictionary<int, (double Seconds, long Ticks)> _last = [];

    public (double SiloRssMb, double SiloCpuPercent, double AzuriteRssMb, double AzuriteCpuPercent) Sample() =>
        (RssMb(silo), CpuPercent(silo), RssMb(azurite), CpuPercent(azurite));

    private static double RssMb(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/status")) return double.NaN;
        var line = File.ReadLines($"/proc/{id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private double CpuPercent(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/stat")) return double.NaN;
        // Fields after the command name: utime and stime are the 12th and 13th (clock ticks, 100 per second here).
        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var now = Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        var percent = _last.TryGetValue(id, out var last) ? (ticks - last.Ticks) / 100.0 / (now - last.Seconds) * 100 : double.NaN;
        _last[id] = (now, ticks);
        return percent;
    }
}
