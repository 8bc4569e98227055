using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Silo.Notify.Exports;
using Alerts.Silo.Notify.Channels;

namespace Alerts.Silo.Notify.Email;

/// <summary>
/// The e-mail channel's rendering, chosen by kind: one visitor method per payload type, so a new kind is a compile
/// error here until it has a template. Everything comes from the payload as it was decided (top codes, latest errors,
/// integration names); the one read is a threshold alert's CSV, prepared by <see cref="IErrorExports"/> under the
/// entry's own key. Every e-mail links to where its recipient manages what they receive (<c>List-Unsubscribe</c>).
/// </summary>
public sealed class EmailRenderer(IErrorExports exports, NotificationLinks links)
{
    private NotificationLinks Links => links;

    private Task<CsvLink?> CsvAsync(OutboxPass pass, ThresholdAlert alert, CancellationToken cancellationToken) =>
        exports.LinkAsync(pass.OrgId, pass.EntryId, alert, cancellationToken);

    public Task<EmailContent> RenderAsync(OutboxPass pass, CancellationToken cancellationToken) =>
        RenderAsync(pass, pass.Payload, cancellationToken);

    /// <summary>Renders a payload of the pass: its own, or one recipient's (digests).</summary>
    public async Task<EmailContent> RenderAsync(OutboxPass pass, NotificationPayload payload, CancellationToken cancellationToken)
    {
        var content = await payload.Accept(new Visitor(this, pass, cancellationToken));
        return content.ManageUrl is null ? content with { ManageUrl = links.UiLink(pass.OrgId, "users") } : content;
    }

    private sealed class Visitor(EmailRenderer renderer, OutboxPass pass, CancellationToken cancellationToken) : INotificationVisitor<Task<EmailContent>>
    {
        public async Task<EmailContent> Visit(ThresholdAlert alert) => EmailTemplates.ThresholdExceeded(alert,
            await renderer.CsvAsync(pass, alert, cancellationToken),
            renderer.Links.Details(pass.OrgId, alert));

        public Task<EmailContent> Visit(ErrorDigest digest) => Task.FromResult(EmailTemplates.Digest(digest));

        public Task<EmailContent> Visit(ConnectionNotice notice) => Task.FromResult(EmailTemplates.ConnectionChanged(notice));

        public Task<EmailContent> Visit(PlatformEventNotice notice) => Task.FromResult(EmailTemplates.PlatformEvent(notice));

        public Task<EmailContent> Visit(PlatformEventSummary summary) => Task.FromResult(EmailTemplates.PlatformEventSummary(summary));

        public Task<EmailContent> Visit(WebhookNotice notice) => Task.FromResult(EmailTemplates.Webhook(notice));

        public Task<EmailContent> Visit(TestNotification test) => Task.FromResult(EmailTemplates.Test(test, renderer.Links.UiLink(pass.OrgId, "decisions")));
    }
}
