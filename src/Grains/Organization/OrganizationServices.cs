using Alerts.Grains.Connections;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Intake;
using Alerts.Grains.Notify;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Grains.Organization;

/// <summary>The stores and settings an organization's parts are built with (one registration, shared by every activation).</summary>
public sealed class OrganizationServices(
    IJournal journal,
    IOrganizationDirectory directory,
    INotificationHistory notifications,
    IErrorLog errorLog,
    IOptions<JournalOptions> journalOptions,
    IOptions<ErrorLogOptions> errorLogOptions,
    IOptions<DigestOptions> digestOptions,
    IOptions<ConnectionOptions> connectionOptions,
    IOptions<QuotaOptions> quotaOptions,
    ILogger<OrganizationGrain> logger)
{
    public IJournal Journal => journal;
    public IOrganizationDirectory Directory => directory;
    public INotificationHistory Notifications => notifications;
    public IErrorLog ErrorLog => errorLog;
    public JournalOptions JournalOptions => journalOptions.Value;
    public ErrorLogOptions ErrorLogOptions => errorLogOptions.Value;
    public DigestOptions DigestOptions => digestOptions.Value;
    public ConnectionOptions ConnectionOptions => connectionOptions.Value;
    public QuotaOptions Quotas => quotaOptions.Value;
    public ILogger Logger => logger;
}
