using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Webhooks;
using Alerts.Silo.Notify.Exports;
using Microsoft.Extensions.Options;

namespace Alerts.Silo.Notify.Email;

/// <summary>
/// The e-mail channel's rendering, chosen by kind: one visitor method per payload type, so a new kind is a compile
/// error here until it has a template. Everything comes from the payload as it was decided (top codes, latest errors,
/// integration names); the one read is a threshold alert's CSV, prepared by <see cref="IErrorExports"/> under the
/// entry's own key. Every e-mail links to where its recipient manages what they receive (<c>List-Unsubscribe</c>).
/// </summary>
public sealed class EmailRenderer(IErrorExports exports, IOptions<DeliveryOptions> delivery)
{
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

    /// <summary>The alert's top codes with the catalog's name and advice for the type they failed most in, its latest errors, links.</summary>
    public ThresholdDetails Details(string orgId, ThresholdAlert alert)
    {
        var codes = (alert.TopCodes ?? []).Select(code => new CodeLine(
                code.Code,
                ErrorCodes.NameOrNull(code.Code) ?? (code.Code is null ? "No code" : "Unknown code"),
                code.Errors,
                ErrorCatalog.Guidance(code.Code, code.MostlyIn)))
            .ToList();
        return new ThresholdDetails(codes, alert.Latest ?? [], UiLink(orgId, "failures"), UiLink(orgId, "users"));
    }

    private sealed class Visitor(EmailRenderer renderer, OutboxPass pass, CancellationToken cancellationToken) : INotificationVisitor<Task<EmailContent>>
    {
        public async Task<EmailContent> Visit(ThresholdAlert alert) => EmailTemplates.ThresholdExceeded(alert,
            await renderer.CsvAsync(pass, alert, cancellationToken),
            renderer.Details(pass.OrgId, alert));

        public Task<EmailContent> Visit(ErrorDigest digest) => Task.FromResult(EmailTemplates.Digest(digest));

        public Task<EmailContent> Visit(ConnectionNotice notice) => Task.FromResult(EmailTemplates.ConnectionChanged(notice));

        public Task<EmailContent> Visit(PlatformEventNotice notice) => Task.FromResult(EmailTemplates.PlatformEvent(notice));

        public Task<EmailContent> Visit(PlatformEventSummary summary) => Task.FromResult(EmailTemplates.PlatformEventSummary(summary));

        public Task<EmailContent> Visit(WebhookNotice notice) => Task.FromResult(EmailTemplates.Webhook(notice));

        public Task<EmailContent> Visit(TestNotification test) => Task.FromResult(EmailTemplates.Test(test, renderer.UiLink(pass.OrgId, "decisions")));
    }
}
