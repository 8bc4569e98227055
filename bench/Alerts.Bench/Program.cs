using Alerts.Bench;

var options = BenchOptions.Parse(args);
Console.WriteLine($"Alerts ingest benchmark: {options}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
await using var bench = await IngestBench.StartAsync(options);
await bench.PrepareAsync();
await bench.RunAsync(options.WarmupReports, print: false);
var result = await bench.RunAsync(options.Reports, print: true);
return result.Failures == 0 ? 0 : 1;
