using Alerts.Api.Telemetry;
using Microsoft.AspNetCore.Builder;
using Alerts.Api;
using Alerts.Silo.Hosting;

// One process per node: the Orleans silo and the HTTP API in one host, so a request reaches its grain without a client
// hop, a second serialization or a second runtime's threads. HTTP listens where ASPNETCORE_URLS says (run.sh:
// http://127.0.0.1:5080). Settings (appsettings.json) come from beside the program, whatever folder it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// Orleans' placement runs through a Polly pipeline that logs every attempt at Information: two lines per activation.
builder.Logging.AddFilter("Polly", LogLevel.Warning);
builder.UseOrleans(silo => silo.UseAlertsClustering(builder.Configuration).AddAlerts(builder.Configuration));
builder.Services.AddHostedService<StopWatchdog>();
builder.Services.AddAlertsHttp();
builder.Services.AddAlertsTelemetry("alerts-silo");

var app = builder.Build();
app.MapAlertsHttp();
app.MapAlertsMetrics();
await app.RunAsync();
