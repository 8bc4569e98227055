using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Alerts.Contracts;
using Alerts.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Alerts.Bench;

public sealed record BenchResult(int Reports, double Seconds, double P50Ms, double P99Ms, long StateWrites, long LogWrites, int Failures);

/// <summary>
/// A silo host and a client host in one process, talking over loopback TCP (the client is a plain Orleans
/// client, as a reporting service would be). Storage writes are read from the silo's <c>Alerts.Storage</c> meter.
/// </summary>
public sealed class IngestBench : IAsyncDisposable
{
    private readonly BenchOptions _options;
    private readonly IHost _silo;
    private readonly IHost _client;
    private readonly MeterListener _listener = new();
    private long _stateWrites;
    private long _logWrites;
    private long _nextEvent;

    private IngestBench(BenchOptions options, IHost silo, IHost client)
    {
        _options = options;
        _silo = silo;
        _client = client;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeteredGrainStorage.MeterName && instrument is Counter<long>)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "alerts.storage.state_writes") Interlocked.Add(ref _stateWrites, value);
            else if (instrument.Name == "alerts.storage.error_log_writes") Interlocked.Add(ref _logWrites, value);
        });
        _listener.Start();
    }

    private IClusterClient Grains => _client.Services.GetRequiredService<IClusterClient>();

    public static async Task<IngestBench> StartAsync(BenchOptions options)
    {
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var settings = new Dictionary<string, string?>
        {
            ["Alerts:Storage:Provider"] = options.Storage == "memory" ? "Memory" : "AzureTable",
            ["Alerts:Storage:ConnectionString"] = options.ConnectionString,
            ["Alerts:Storage:TablePrefix"] = "Bench" + Guid.NewGuid().ToString("N")[..8],
            ["Alerts:Silo:Clustering"] = "Localhost",
            ["Alerts:Silo:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Alerts:Silo:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            // Nothing listens here: no threshold is meant to fire, and if one did its e-mail would only be retried.
            ["Alerts:Email:SmtpPort"] = "9",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var siloBuilder = Host.CreateApplicationBuilder();
        siloBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        siloBuilder.UseOrleans(silo => silo.UseAlertsClustering(configuration).AddAlerts(configuration));
        var silo = siloBuilder.Build();
        await silo.StartAsync();

        var clientBuilder = Host.CreateApplicationBuilder();
        clientBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        clientBuilder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, "alerts", "alerts-dev"));
        var client = clientBuilder.Build();
        await client.StartAsync();
        return new IngestBench(options, silo, client);
    }

    /// <summary>Organizations whose limit is never reached (the policy still runs on every batch), and their integrations.</summary>
    public async Task PrepareAsync()
    {
        var never = new DirectionSettings(int.MaxValue, FailureInterval.OneHour);
        foreach (var org in Orgs())
        {
            await Grains.GetOrganization(org).PutAsync(new OrganizationProfile(
                $"Bench {org}", "production", true, null, new IntegrationNotificationSettings(never, never)));
            foreach (var integration in IntegrationsOf(org))
            {
                var type = integration.EndsWith('0') ? IntegrationType.InboundWebhook : IntegrationType.OutboundWebhook;
                await Grains.GetIntegration(org, integration).PutAsync(new IntegrationProfile(integration, type));
            }
        }
    }

    public async Task<BenchResult> RunAsync(int reports, bool print)
    {
        var targets = Orgs().SelectMany(org => IntegrationsOf(org).Select(i => Grains.GetIntegration(org, i))).ToArray();
        var calls = reports / _options.Batch;
        var latencies = new double[calls];
        var failures = 0;
        var next = -1;
        var writesBefore = Interlocked.Read(ref _stateWrites);
        var logWritesBefore = Interlocked.Read(ref _logWrites);
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, _options.Concurrency).Select(async _ =>
        {
            var random = new Random();
            int call;
            while ((call = Interlocked.Increment(ref next)) < calls)
            {
                var batch = Batch(random);
                var started = Stopwatch.GetTimestamp();
                var result = await targets[call % targets.Length].RecordAsync(batch);
                latencies[call] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (result.Status != RecordStatus.Recorded || result.Accepted != batch.Count) Interlocked.Increment(ref failures);
            }
        }));

        clock.Stop();
        var writes = Interlocked.Read(ref _stateWrites) - writesBefore;
        var logWrites = Interlocked.Read(ref _logWrites) - logWritesBefore;
        Array.Sort(latencies);
        var result = new BenchResult(calls * _options.Batch, clock.Elapsed.TotalSeconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), writes, logWrites, failures);
        if (print) Print(result);
        return result;
    }

    private List<Attempt> Batch(Random random)
    {
        var batch = new List<Attempt>(_options.Batch);
        for (var i = 0; i < _options.Batch; i++)
        {
            var id = Interlocked.Increment(ref _nextEvent).ToString("x", CultureInfo.InvariantCulture);
            batch.Add(random.NextDouble() < _options.ErrorRatio
                ? new Attempt(id, AttemptOutcome.Error, null, 502, "Bad Gateway", "bench-flow", "bench", "trace-" + (i % 16))
                : new Attempt(id, AttemptOutcome.Success));
        }
        return batch;
    }

    private static void Print(BenchResult result)
    {
        var perSecond = result.Reports / result.Seconds;
        Console.WriteLine($"reports: {result.Reports:N0} in {result.Seconds:0.00} s");
        Console.WriteLine($"throughput: {perSecond:N0} reports/s");
        Console.WriteLine($"ack latency per batch: p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms");
        Console.WriteLine($"grain state writes: {result.StateWrites:N0} ({(double)result.Reports / Math.Max(1, result.StateWrites):0.0} reports per write)");
        Console.WriteLine($"error log writes: {result.LogWrites:N0} (table requests; the memory log counts none)");
        var all = result.StateWrites + result.LogWrites;
        Console.WriteLine($"storage writes per report: {(double)all / result.Reports:0.0000} ({(double)result.Reports / Math.Max(1, all):0.0} reports per storage write)");
        if (result.Failures > 0) Console.WriteLine($"FAILED batches: {result.Failures}");
    }

    private IEnumerable<string> Orgs() => Enumerable.Range(0, _options.Orgs).Select(i => $"bench-org-{i}");

    private IEnumerable<string> IntegrationsOf(string org) => Enumerable.Range(0, _options.IntegrationsPerOrg).Select(i => $"int-{i}");

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _client.StopAsync();
        _client.Dispose();
        await _silo.StopAsync();
        _silo.Dispose();
    }
}
