using System.Globalization;
using Alerts.IntegrationTests.Support;

// bench/faults.sh: one run per fault, each on a fresh stack. Arguments: --reports N (1,000,000), --faults
// kill,storage,smtp (all three), --storage-outage SECONDS (30).
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0].TrimStart('-'), pair => pair[1], StringComparer.Ordinal);
var reports = int.Parse(options.GetValueOrDefault("reports", "1000000"), CultureInfo.InvariantCulture);
var outage = TimeSpan.FromSeconds(int.Parse(options.GetValueOrDefault("storage-outage", "30"), CultureInfo.InvariantCulture));
var faults = options.GetValueOrDefault("faults", "kill,storage,smtp").Split(',', StringSplitOptions.RemoveEmptyEntries);

var rows = new List<string>();
var failed = false;
foreach (var fault in faults)
{
    Console.WriteLine($"== {fault}: {reports:N0} reports over 3 silos (HTTP batches of 100 from 6 reporters, Orleans client batches of 1,000 from 2) ==");
    var data = Directory.CreateTempSubdirectory("alerts-faults-");
    try
    {
        await using var deployment = new LocalDeployment(storageLocation: data.FullName);
        await deployment.StartAllAsync();
        await deployment.StartSiloAsync();
        await deployment.StartSiloAsync();
        var run = new FaultRun(deployment, new FaultRun.Settings(reports));
        await run.PrepareAsync();
        DateTimeOffset? relayBack = null;
        FaultRun.Fault? planned = fault switch
        {
            "kill" => new("silo killed (SIGKILL) and started again", 0.3, async () =>
            {
                await deployment.StopSiloAsync(deployment.Silos[^1], kill: true);
                await deployment.StartSiloAsync();
            }),
            "storage" => new($"Azurite stopped for {outage.TotalSeconds:0} s", 0.3, async () =>
            {
                await deployment.Storage.StopAsync();
                await Task.Delay(outage);
                await deployment.Storage.StartAsync();
            }),
            "smtp" => null,
            _ => throw new ArgumentException($"--faults takes kill, storage and smtp, not '{fault}'"),
        };
        // The relay is down before the first report (maildev forgets its inbox when it stops) and back after the last.
        if (fault == "smtp") await deployment.StopMailDevAsync();
        var (load, timings) = await run.LoadAsync(planned is null ? [] : [planned], TimeSpan.FromMinutes(30));
        Console.WriteLine($"   load done in {load.TotalSeconds:0} s");
        if (fault == "smtp")
        {
            await deployment.StartMailDevAsync();
            relayBack = DateTimeOffset.UtcNow;
        }
        var result = await run.CheckAsync(planned?.Name ?? "SMTP down for the whole load, then up", load, timings, relayBack, TimeSpan.FromMinutes(15));
        Console.WriteLine(FaultRun.Result.Header);
        Console.WriteLine(result.Row());
        rows.Add(result.Row());
        failed |= result.Acknowledged != result.Counted || !result.ExactlyOnceEach;
    }
    finally
    {
        data.Delete(recursive: true);
    }
}
Console.WriteLine();
Console.WriteLine($"== Summary ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, Release, Azurite on disk, 3 silos with default settings) ==");
Console.WriteLine(FaultRun.Result.Header);
foreach (var row in rows) Console.WriteLine(row);
return failed ? 1 : 0;
