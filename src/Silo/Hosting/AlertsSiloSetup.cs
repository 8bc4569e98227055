using Alerts.Grains;
using Alerts.Grains.Integration;
using Alerts.Grains.Notifications;
using Alerts.Silo.Delivery;
using Alerts.Silo.Email;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Alerts.Silo.Hosting;

/// <summary>Everything a silo needs to host Alerts, used by <c>Program.cs</c> and by the test clusters.</summary>
public static class AlertsSiloSetup
{
    /// <summary>Registers the grains' services, storage, reminders and the delivery worker.</summary>
    public static ISiloBuilder AddAlerts(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.TryAddKeyedSingleton(AlertsClock.Key, TimeProvider.System);
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section));
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton<IEmailSender, SmtpEmailSender>();
        services.AddSingleton<OutboxWorker>();
        services.AddSingleton<IOutboxDispatcher>(sp => sp.GetRequiredService<OutboxWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<OutboxWorker>());

        silo.AddMemoryGrainStorage(StorageNames.Grains);
        silo.UseInMemoryReminderService();
        return silo;
    }

    /// <summary>Single-silo clustering on this machine (development and the local stack).</summary>
    public static ISiloBuilder UseAlertsClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        return silo;
    }
}
