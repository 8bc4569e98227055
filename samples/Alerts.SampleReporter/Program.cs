// A minimal .NET service that reports integration attempts to Alerts through the Orleans client.
//   dotnet Alerts.SampleReporter.dll <gateway-port> <org-id> <integration-id> <errors> [event-id-prefix]
// Prints the result as "accepted=N duplicates=M" and exits 0 when the batch was recorded.
using Alerts.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length < 4)
{
    Console.Error.WriteLine("usage: Alerts.SampleReporter <gateway-port> <org-id> <integration-id> <errors> [event-id-prefix]");
    return 2;
}
var gatewayPort = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var (orgId, integrationId) = (args[1], args[2]);
var errors = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
var prefix = args.Length > 4 ? args[4] : Guid.NewGuid().ToString("N");

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// The cluster id must match the silos' (Alerts__Silo__ClusterId); run.sh uses the default, alerts-dev.
var clusterId = Environment.GetEnvironmentVariable("ALERTS_CLUSTER_ID") ?? "alerts-dev";
// With activity propagation a report continues the caller's trace (when it has one) into the silos.
builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, serviceId: "alerts", clusterId: clusterId).AddActivityPropagation());
using var host = builder.Build();
await host.StartAsync();

var grains = host.Services.GetRequiredService<IClusterClient>();
var batch = Enumerable.Range(1, errors)
    .Select(i => new Attempt($"{prefix}-{i}", AttemptOutcome.Error, DateTimeOffset.UtcNow, 503, "Service Unavailable", Flow: "nightly-sync"))
    .ToList();
var result = await grains.GetIntegration(orgId, integrationId).RecordAsync(batch);
Console.WriteLine($"status={result.Status} accepted={result.Accepted} duplicates={result.Duplicates}");
await host.StopAsync();
return result.Status == RecordStatus.Recorded ? 0 : 1;
