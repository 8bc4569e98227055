using Alerts.Grains.Notify;
using Alerts.Grains.Stores;

namespace Alerts.Silo.Notify.Email;

/// <summary>One message to one recipient. <see cref="MessageId"/> is derived from the outbox key, so a resend is recognisable.</summary>
public sealed record OutgoingEmail(string To, EmailContent Content, string MessageId);

/// <summary>
/// The e-mail channel: sends one message and says what the relay answered for its recipient. Never throws for a
/// message it could not send; the result says whether it is worth retrying. Rate limits, leases and retries are the
/// delivery worker's, around it.
/// </summary>
public interface IEmailSender
{
    Task<RecipientResult> SendAsync(OutgoingEmail message, CancellationToken cancellationToken);
}
