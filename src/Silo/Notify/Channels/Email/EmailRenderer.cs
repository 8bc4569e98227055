using Alerts.Grains.Notify;
using Alerts.Silo.Notify.Exports;

namespace Alerts.Silo.Notify.Email;

/// <summary>
/// The e-mail channel's rendering, chosen by kind: one visitor method per payload type, so a new kind is a compile
/// error here until it has a template. Kinds that link to a CSV get the link prepared here.
/// </summary>
public sealed class EmailRenderer(IErrorExports exports)
{
    public Task<EmailContent> RenderAsync(OutboxPass pass, CancellationToken cancellationToken) =>
        RenderAsync(pass, pass.Payload, cancellationToken);

    /// <summary>Renders a payload of the pass: its own, or one recipient's (digests).</summary>
    public Task<EmailContent> RenderAsync(OutboxPass pass, NotificationPayload payload, CancellationToken cancellationToken) =>
        payload.Accept(new Visitor(exports, pass, cancellationToken));

    private sealed class Visitor(IErrorExports exports, OutboxPass pass, CancellationToken cancellationToken) : INotificationVisitor<Task<EmailContent>>
    {
        public async Task<EmailContent> Visit(ThresholdAlert alert) =>
            EmailTemplates.ThresholdExceeded(alert, await exports.LinkAsync(pass.OrgId, pass.EntryId, alert, cancellationToken));

        public Task<EmailContent> Visit(ErrorDigest digest) => Task.FromResult(EmailTemplates.Digest(digest));

        public Task<EmailContent> Visit(ConnectionNotice notice) => Task.FromResult(EmailTemplates.ConnectionChanged(notice));

        public Task<EmailContent> Visit(PlatformEventNotice notice) => Task.FromResult(EmailTemplates.PlatformEvent(notice));

        public Task<EmailContent> Visit(WebhookNotice notice) => Task.FromResult(EmailTemplates.Webhook(notice));
    }
}
