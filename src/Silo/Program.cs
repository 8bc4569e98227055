using Alerts.Silo.Hosting;

var builder = Host.CreateApplicationBuilder(args);
// Orleans' placement runs through a Polly pipeline that logs every attempt at Information: two lines per activation.
builder.Logging.AddFilter("Polly", LogLevel.Warning);
builder.UseOrleans(silo => silo.UseAlertsClustering(builder.Configuration).AddAlerts(builder.Configuration));
builder.Services.AddHostedService<StopWatchdog>();
await builder.Build().RunAsync();
