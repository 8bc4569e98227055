using Alerts.Contracts;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Notify;
using Alerts.Grains.Webhooks;
using Alerts.Silo.Notify.Exports;
using Microsoft.Extensions.Options;

namespace Alerts.Silo.Notify.Email;

/// <summary>
/// The e-mail channel's rendering, chosen by kind: one visitor method per payload type, so a new kind is a compile
/// error here until it has a template. Kinds that link to a CSV get the link prepared here; threshold e-mails get the
/// top codes with the catalog's guidance and the latest messages, read from the error log; every e-mail links to where
/// its recipient manages what they receive (the <c>List-Unsubscribe</c> header).
/// </summary>
public sealed class EmailRenderer(IErrorExports exports, IErrorLog errorLog, IGrainFactory grains, IOptions<DeliveryOptions> delivery)
{
    /// <summary>Errors read at most to find an alert's top codes and latest messages (the CSV has them all).</summary>
    public const int MaxErrorsRead = 50_000;

    private Task<CsvLink?> CsvAsync(OutboxPass pass, ThresholdAlert alert, CancellationToken cancellationToken) =>
        exports.LinkAsync(pass.OrgId, pass.EntryId, alert, cancellationToken);

    public Task<EmailContent> RenderAsync(OutboxPass pass, CancellationToken cancellationToken) =>
        RenderAsync(pass, pass.Payload, cancellationToken);

    /// <summary>Renders a payload of the pass: its own, or one recipient's (digests).</summary>
    public async Task<EmailContent> RenderAsync(OutboxPass pass, NotificationPayload payload, CancellationToken cancellationToken)
    {
        var content = await payload.Accept(new Visitor(this, pass, cancellationToken));
        return content.ManageUrl is null ? content with { ManageUrl = UiLink(pass.OrgId, "users") } : content;
    }

    /// <summary>A page of the admin UI for an organization (<c>Alerts:Delivery:AdminUiUrl</c>).</summary>
    public string UiLink(string orgId, string page) =>
        $"{delivery.Value.AdminUiUrl.TrimEnd('/')}/orgs/{Uri.EscapeDataString(orgId)}/{page}";

    /// <summary>The top codes (with guidance for the type they failed most in) and the latest errors an alert counted.</summary>
    public async Task<ThresholdDetails> DetailsAsync(string orgId, ThresholdAlert alert, CancellationToken cancellationToken)
    {
        var integrations = (await grains.GetOrganization(orgId).ListIntegrationsAsync()).ToDictionary(i => i.IntegrationId, i => i.Profile, StringComparer.Ordinal);
        var counts = new Dictionary<(int? Code, IntegrationType Type), int>();
        var latest = new List<LatestLine>();
        var read = 0;
        await foreach (var error in errorLog.ReadAsync(orgId, alert.CountedAfter, alert.DecidedAt, cancellationToken))
        {
            if (!integrations.TryGetValue(error.IntegrationId, out var profile) || profile.Type.Direction() != alert.AlertDirection) continue;
            if (++read > MaxErrorsRead) break;
            var key = (error.Detail.StatusCode, profile.Type);
            counts[key] = counts.GetValueOrDefault(key) + 1;
            latest.Add(new LatestLine(error.Detail.OccurredAt, profile.Name, error.Detail.StatusCode, Shorten(error.Detail.Message ?? "(no message)")));
            if (latest.Count > 50) latest = latest.OrderByDescending(l => l.At).Take(5).ToList();
        }
        var codes = counts.GroupBy(c => c.Key.Code)
            .Select(group =>
            {
                var mostly = group.MaxBy(c => c.Value).Key.Type;
                var name = ErrorCodes.NameOrNull(group.Key) ?? (group.Key is null ? "No code" : "Unknown code");
                return new CodeLine(group.Key, name, group.Sum(c => c.Value), ErrorCatalog.Guidance(group.Key, mostly));
            })
            .OrderByDescending(c => c.Errors).ThenBy(c => c.Code ?? int.MaxValue).Take(3).ToList();
        return new ThresholdDetails(codes, latest.OrderByDescending(l => l.At).Take(5).ToList(), UiLink(orgId, "failures"), UiLink(orgId, "users"));
    }

    private static string Shorten(string message) => message.Length > 200 ? message[..200] + "…" : message;

    private sealed class Visitor(EmailRenderer renderer, OutboxPass pass, CancellationToken cancellationToken) : INotificationVisitor<Task<EmailContent>>
    {
        public async Task<EmailContent> Visit(ThresholdAlert alert) => EmailTemplates.ThresholdExceeded(alert,
            await renderer.CsvAsync(pass, alert, cancellationToken),
            await renderer.DetailsAsync(pass.OrgId, alert, cancellationToken));

        public Task<EmailContent> Visit(ErrorDigest digest) => Task.FromResult(EmailTemplates.Digest(digest));

        public Task<EmailContent> Visit(ConnectionNotice notice) => Task.FromResult(EmailTemplates.ConnectionChanged(notice));

        public Task<EmailContent> Visit(PlatformEventNotice notice) => Task.FromResult(EmailTemplates.PlatformEvent(notice));

        public Task<EmailContent> Visit(WebhookNotice notice) => Task.FromResult(EmailTemplates.Webhook(notice));
    }
}
