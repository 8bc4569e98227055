using System.Globalization;
using Alerts.Bench;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The Orleans-client half of bench/run.sh: connects to a running silo's gateway port, reports, prints one RESULT line.
if (args.Length >= 2 && args[0] == "--mode" && args[1] == "steady")
{
    // The soak's load over HTTP (bench/soak.sh): no Orleans client.
    var steady = SteadyOptionsParser.Parse(args);
    using var soak = new SteadyLoad(steady);
    await soak.PrepareAsync();
    var rows = await soak.RunAsync();
    SoakSummary.Print(rows, steady);
    return 0;
}

var options = BenchOptions.Parse(args);
Console.WriteLine($"Orleans client: {options}");
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleansClient(client => client.UseLocalhostClustering(options.GatewayPort, "alerts", "alerts-dev"));
using var host = builder.Build();
await host.StartAsync();

if (options.Mode == "digest")
{
    // A warm-up sweep over organizations of its own first (untimed), as the ingestion shapes warm up: a silo that has
    // run for a while has its code compiled and its pools grown.
    var warmUp = new DigestBench(host.Services.GetRequiredService<IGrainFactory>(), options, Math.Max(1, Math.Min(1_000, options.Orgs / 10)));
    await warmUp.PrepareAsync();
    await warmUp.RunAsync();
    var sweep = new DigestBench(host.Services.GetRequiredService<IGrainFactory>(), options);
    var prepared = System.Diagnostics.Stopwatch.StartNew();
    await sweep.PrepareAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prepared {options.Orgs} organizations in {prepared.Elapsed.TotalSeconds:0.0} s"));
    var round = await sweep.RunAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"DIGEST organizations={round.Organizations} seconds={round.Seconds:0.000} orgs_per_s={round.Organizations / round.Seconds:0} digests={round.Digests} digests_per_s={round.Digests / round.Seconds:0} failures={round.Failures}"));
    await host.StopAsync();
    return round.Failures == 0 && round.Digests == round.Organizations ? 0 : 1;
}

var bench = new ClientBench(host.Services.GetRequiredService<IGrainFactory>(), options);
await bench.PrepareAsync();
await bench.RunAsync(options.WarmupReports);
var result = await bench.RunAsync(options.Reports);
var rss = options.SiloPid is { } pid ? SiloRssMegabytes(pid) : double.NaN;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT reports={result.Reports} seconds={result.Seconds:0.000} rps={result.Reports / result.Seconds:0} p50_ms={result.P50Ms:0.00} p99_ms={result.P99Ms:0.00} failures={result.Failures} silo_rss_mb={rss:0}"));
await host.StopAsync();
return result.Failures == 0 ? 0 : 1;

// The silo's resident memory, from /proc (Linux).
static double SiloRssMegabytes(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}
