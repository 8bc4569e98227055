using Alerts.Grains;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Intake;
using Alerts.Storage.AzureTable;
using Alerts.Storage.Memory;
using Alerts.Grains.Notify;
using Alerts.Silo.Notify.Delivery;
using Alerts.Silo.Notify.Channels;
using Alerts.Silo.Notify.Email;
using Alerts.Silo.Notify.Exports;
using Alerts.Silo.Notify.Webhooks;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Alerts.Storage;
using System.Net;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
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
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<JournalOptions>().Bind(configuration.GetSection(JournalOptions.Section))
            .Validate(o => o.MaxReportsPerCommit is >= Alerts.Contracts.AttemptRules.MaxBatch and <= 20_000, $"{JournalOptions.Section}:MaxReportsPerCommit must be 1000 to 20000")
            .Validate(o => o.DeduplicationWindow > TimeSpan.Zero && o.MaxRememberedIds > 0, $"{JournalOptions.Section}: the de-duplication window and id limit must be positive")
            .Validate(o => o.CommitsInFlight is >= 1 and <= 16 && o.ReportsToOverlapCommits >= 0, $"{JournalOptions.Section}:CommitsInFlight must be 1 to 16 and ReportsToOverlapCommits 0 or more")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section))
            .Validate(o => o.PassLease >= TimeSpan.FromSeconds(3), "Alerts:Outbox:PassLease must be at least 3 seconds (a lease is renewed every third of it)")
            .Validate(o => o.MaxPassesPerSilo >= 1, "Alerts:Outbox:MaxPassesPerSilo must be at least 1")
            .Validate(o => o.MaxPassesPerOrganization >= 1, "Alerts:Outbox:MaxPassesPerOrganization must be at least 1")
            .Validate(o => o.MaxPending >= 1, "Alerts:Outbox:MaxPending must be at least 1")
            .ValidateOnStart();
        services.AddOptions<ErrorLogOptions>().Bind(configuration.GetSection(ErrorLogOptions.Section));
        services.AddOptions<Alerts.Grains.Lifecycle.DigestOptions>().Bind(configuration.GetSection(Alerts.Grains.Lifecycle.DigestOptions.Section))
            .Validate(o => o.Interval >= TimeSpan.FromSeconds(1) && o.Interval <= TimeSpan.FromDays(1), $"{Alerts.Grains.Lifecycle.DigestOptions.Section}:Interval must be between 00:00:01 and 1.00:00:00")
            .Validate(o => o.MaxDetails is >= 1 and <= 500, $"{Alerts.Grains.Lifecycle.DigestOptions.Section}:MaxDetails must be 1 to 500")
            .ValidateOnStart();
        services.AddOptions<Alerts.Grains.Connections.ConnectionOptions>().Bind(configuration.GetSection(Alerts.Grains.Connections.ConnectionOptions.Section))
            .Validate(o => o.HoldPeriod >= TimeSpan.FromSeconds(1) && o.HoldPeriod <= TimeSpan.FromDays(1), $"{Alerts.Grains.Connections.ConnectionOptions.Section}:HoldPeriod must be between 00:00:01 and 1.00:00:00")
            .ValidateOnStart();
        services.AddOptions<Alerts.Grains.QuotaOptions>().Bind(configuration.GetSection(Alerts.Grains.QuotaOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Alerts.Grains.Organization.OrganizationServices>();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddOptions<RelayLimitOptions>().Bind(configuration.GetSection(RelayLimitOptions.Section));
        services.TryAddSingleton<IEmailSender, SmtpEmailSender>();
        services.AddSingleton<NotificationLinks>();
        services.AddSingleton<EmailRenderer>();
        services.AddSingleton<INotificationChannel, EmailChannel>();
        // Delivery targets (issue 22): Slack, Teams and signed JSON, each its own channel and relay limit.
        services.AddSingleton<Alerts.Silo.Notify.Channels.Chat.ChatRenderer>();
        foreach (var type in Enum.GetValues<Alerts.Contracts.TargetType>())
        {
            services.AddSingleton<INotificationChannel>(provider => ActivatorUtilities.CreateInstance<Alerts.Silo.Notify.Channels.Chat.TargetChannel>(
                provider, type, provider.GetRequiredKeyedService<TimeProvider>(Alerts.Grains.AlertsClock.Key)));
        }
        services.PostConfigure<RelayLimitOptions>(relays =>
        {
            // Cluster-wide per type (our egress, fair between tenants); a receiver's own 429 is retried. Configured values win.
            relays.Relays.TryAdd("slack", new RelayLimit { MaxMessagesPerWindow = 600, RateWindow = TimeSpan.FromMinutes(1) });
            relays.Relays.TryAdd("teams", new RelayLimit { MaxMessagesPerWindow = 600, RateWindow = TimeSpan.FromMinutes(1) });
            relays.Relays.TryAdd("webhook-target", new RelayLimit { MaxMessagesPerWindow = 1200, RateWindow = TimeSpan.FromMinutes(1) });
        });
        services.AddOptions<ExportOptions>().Bind(configuration.GetSection(ExportOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // A shutdown lets delivery passes finish and record the message in flight before the silo stops.
        services.AddOptions<HostOptions>().Configure<IOptions<EmailOptions>>((host, email) =>
        {
            var needed = DeliveryWorker.StopAllowance(email.Value) + TimeSpan.FromSeconds(30);
            if (host.ShutdownTimeout < needed) host.ShutdownTimeout = needed;
        });
        services.AddOptions<Alerts.Grains.Webhooks.DeliveryOptions>().Bind(configuration.GetSection(Alerts.Grains.Webhooks.DeliveryOptions.Section))
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(5), $"{Alerts.Grains.Webhooks.DeliveryOptions.Section}:Timeout must be between 0 and 00:05:00")
            .Validate(o => o.FirstRetryDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.FirstRetryDelay && o.GiveUpAfter > TimeSpan.Zero,
                $"{Alerts.Grains.Webhooks.DeliveryOptions.Section}: retry delays must be positive, the longest at least the first")
            .Validate(o => o.TimerResolution > TimeSpan.Zero && o.WakeUpPeriod > TimeSpan.Zero && o.MaxPending is >= 1 and <= 2_000,
                $"{Alerts.Grains.Webhooks.DeliveryOptions.Section}: the timer and wake-up periods must be positive and MaxPending 1 to 2000")
            .ValidateOnStart();
        HttpWebhookSender.Register(services);
        services.TryAddSingleton<Alerts.Grains.Webhooks.IWebhookSender, HttpWebhookSender>();
        services.AddSingleton<DeliveryWorker>();
        services.AddSingleton<IOutboxDispatcher>(sp => sp.GetRequiredService<DeliveryWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());

        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        switch (storage.Provider)
        {
            case "Memory":
                silo.AddAlertsMemoryStores(StorageNames.Grains);
                services.TryAddSingleton<IErrorExports, NoErrorExports>();
                break;
            case "AzureTable":
                silo.AddAlertsAzureTableStores(storage, StorageNames.Grains);
                services.AddSingleton(sp => ActivatorUtilities.CreateInstance<BlobErrorExports>(sp,
                    new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(sp.GetRequiredService<IOptions<ExportOptions>>().Value.Container)));
                services.TryAddSingleton<IErrorExports>(sp => sp.GetRequiredService<BlobErrorExports>());
                services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new StartupTask(
                    nameof(BlobErrorExports), sp.GetRequiredService<BlobErrorExports>().InitializeAsync));
                break;
            default:
                throw new InvalidOperationException($"Alerts:Storage:Provider must be AzureTable or Memory, not '{storage.Provider}'.");
        }
        MeteredGrainStorage.Decorate(services, StorageNames.Grains);
        // A grain call carries the caller's trace (a request's, another grain's): nothing is recorded unless a tracer
        // listens (OTLP configured), and then a report's spans reach the e-mail or webhook it caused.
        silo.AddActivityPropagation();
        return silo;
    }

    /// <summary>How this silo finds the others: the Azure membership table, or a single silo on this machine.</summary>
    public static ISiloBuilder UseAlertsClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        switch (options.Clustering)
        {
            case "Localhost":
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                break;
            case "AzureTable":
                var advertised = AddressOf(options.AdvertisedAddress);
                if (OrleansExposure.Problem(options, advertised, options.ListenOnAnyAddress ? OrleansExposure.InterfaceAddresses() : []) is { } exposed)
                    throw new InvalidOperationException(exposed);
                silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, options.ListenOnAnyAddress);
                silo.UseAlertsAzureTableClustering(storage);
                break;
            default:
                throw new InvalidOperationException($"Alerts:Silo:Clustering must be AzureTable or Localhost, not '{options.Clustering}'.");
        }
        if (options.FastFailureDetection)
        {
            silo.Configure<ClusterMembershipOptions>(membership =>
            {
                membership.ProbeTimeout = TimeSpan.FromSeconds(1);
                membership.NumMissedProbesLimit = 2;
                membership.NumVotesForDeathDeclaration = 1;
                membership.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
        }
        if (options.MinimumReminderPeriod is { } minimum)
            silo.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = minimum);
        return silo;
    }

    /// <summary>An IP address as is, or a host name (a container's service name) resolved to its first IPv4 address.</summary>
    private static IPAddress AddressOf(string address) =>
        IPAddress.TryParse(address, out var ip)
            ? ip
            : Dns.GetHostAddresses(address).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
              ?? throw new InvalidOperationException($"Alerts:Silo:AdvertisedAddress '{address}' does not resolve to an IPv4 address.");

}
