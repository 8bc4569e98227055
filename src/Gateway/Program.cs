using Alerts.Api.Telemetry;
using Alerts.Api;
using Alerts.Gateway;

// The standalone gateway: the HTTP layer in a process of its own, reaching the silos as an Orleans client.
// Settings (appsettings.json) come from beside the program, whatever folder it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleansClient(client => client.UseAlertsCluster(builder.Configuration));
builder.Services.AddAlertsHttp();
builder.Services.AddAlertsTelemetry("alerts-gateway");

var app = builder.Build();
app.MapAlertsHttp();
app.MapAlertsMetrics();
app.Run();
