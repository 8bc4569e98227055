using Alerts.Grains.Notify;
using Alerts.Silo.Notify.Channels;

namespace Alerts.Silo.Notify.Email;

/// <summary>E-mail: payloads rendered by <see cref="EmailRenderer"/>, sent through the relay by <see cref="IEmailSender"/>.</summary>
public sealed class EmailChannel(EmailRenderer renderer, IEmailSender sender) : NotificationChannel<EmailContent>
{
    /// <summary>The relay's name for its cluster-wide limit (<c>Alerts:Email</c>).</summary>
    public const string RelayName = RelayLimitOptions.EmailRelay;

    public override string Name => Recipient.EmailChannel;

    public override string Relay => RelayName;

    protected override Task<EmailContent> RenderAsync(OutboxPass pass, NotificationPayload payload, CancellationToken cancellationToken) =>
        renderer.RenderAsync(pass, payload, cancellationToken);

    protected override Task<RecipientResult> SendAsync(EmailContent message, string address, string messageId, CancellationToken cancellationToken) =>
        sender.SendAsync(new OutgoingEmail(address, message, messageId), cancellationToken);
}
