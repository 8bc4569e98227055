using Alerts.Silo.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.UseAlertsClustering(builder.Configuration).AddAlerts(builder.Configuration));
await builder.Build().RunAsync();
