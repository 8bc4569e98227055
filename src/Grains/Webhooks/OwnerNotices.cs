using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Microsoft.Extensions.Logging;
using Alerts.Contracts.Telemetry;

namespace Alerts.Grains.Webhooks;

/// <summary>
/// What a subscription's owner is told when its breaker changes (failing, disabled, recovered): a notice is decided into
/// the state with the attempt that caused it, then handed to the organization's outbox (e-mail) and the owner's in-app
/// feed, then forgotten. Both ignore an id they know, so a crash in between hands the same notice over again, once.
/// </summary>
internal sealed partial class OwnerNotices(IWebhookHost host, Func<Task> afterHandOver)
{
    private bool _handingOver;

    private WebhookSubscriptionState State => host.State;

    /// <summary>Who is told about something without an owner (or whose owner was deleted): the primary contact and the admins.</summary>
    public static List<string> AdminAddresses(OrganizationView org, IReadOnlyList<UserView> admins) =>
        admins.Select(a => a.Profile.Email).Prepend(org.Profile.PrimaryContact).OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Adds the notice a breaker change calls for (nothing for <see cref="BreakerNotice.None"/>); written with the attempt.</summary>
    public void Decide(BreakerNotice notice, int? status, string error, DateTimeOffset now)
    {
        if (notice == BreakerNotice.None) return;
        var kind = notice switch
        {
            BreakerNotice.Warning => NotificationKind.WebhookFailing,
            BreakerNotice.Disabled => NotificationKind.WebhookDisabled,
            _ => NotificationKind.WebhookRecovered,
        };
        State.NoticesDecided++;
        State.Notices.Add(new OwnerNotice(
            string.Create(CultureInfo.InvariantCulture, $"webhook-{host.WebhookId}-{State.NoticesDecided}"),
            kind, State.Url, State.ConsecutiveFailures, status, error, now));
    }

    /// <summary>Hands decided notices over in the background (unless a hand-over runs).</summary>
    public void Start()
    {
        if (State.Notices.Count > 0) _ = HandOverAsync();
    }

    /// <summary>Hands each decided notice to the outbox and the feeds of whoever is told, oldest first.</summary>
    private async Task HandOverAsync()
    {
        if (_handingOver) return;
        _handingOver = true;
        try
        {
            var organization = host.GrainFactory.GetOrganization(host.OrgId);
            while (State.Notices.Count > 0 && State.Exists)
            {
                var decided = State.Notices[0];
                var org = await organization.GetAsync();
                if (org is null) return;
                var owner = State.OwnerUserId is { } ownerId ? await organization.GetUserAsync(ownerId) : null;
                var page = $"{host.Options.AdminUiUrl.TrimEnd('/')}/orgs/{Uri.EscapeDataString(host.OrgId)}/webhooks/{Uri.EscapeDataString(host.WebhookId)}";
                var notice = new WebhookNotice(host.OrgId, org.Profile.Name, org.Profile.Environment, org.Profile.Production, decided.Kind, host.WebhookId,
                    // E-mails and in-app notices are read by more than admins: the query string (tokens) is masked.
                    WebhookRules.Masked(decided.Url), decided.ConsecutiveFailures, decided.LastStatus, decided.LastError, decided.At, page);

                // The owner; with none (the §5 URL, or an owner since deleted), the primary contact and the admins.
                List<string> emails;
                List<string> feeds;
                if (owner is not null)
                {
                    emails = [owner.Profile.Email];
                    feeds = [owner.UserId];
                }
                else
                {
                    var admins = await organization.ListAdminsAsync();
                    emails = AdminAddresses(org, admins);
                    feeds = admins.Select(a => a.UserId).ToList();
                }
                await host.GrainFactory.GetGrain<IOutboxGrain>(host.OrgId).EnqueueAsync(
                    new OutboxEntry { Id = decided.Id, Payload = notice, Subject = notice.Subject, CreatedAt = decided.At, TraceParent = AlertsTelemetry.CurrentTraceParent() },
                    emails.Select(address => Recipient.Email(address).Key).ToList());
                var (title, summary) = (notice.Title, notice.Summary);
                foreach (var user in feeds)
                {
                    await host.GrainFactory.GetGrain<IUserInbox>(GrainKeys.Integration(host.OrgId, user)).AddAsync(
                        new InboxItem(decided.Id, decided.Kind.Wire(), title, summary, page, decided.At, null, About: "webhook:" + host.WebhookId));
                }
                State.Notices.Remove(decided);
                await host.SaveAsync();
            }
            await afterHandOver();
        }
        catch (Exception exception)
        {
            LogNoticeFailed(host.Logger, exception, host.OrgId, host.WebhookId);
        }
        finally
        {
            _handingOver = false;
        }
    }

    [LoggerMessage(2206, LogLevel.Warning, "Webhook {OrgId}/{WebhookId}: handing a notice to its owner failed; it is tried again at the next wake-up")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception, string orgId, string webhookId);
}
