using Alerts.Grains.Notifications;

namespace Alerts.Silo.Email;

/// <summary>One message to one recipient. <see cref="MessageId"/> is derived from the outbox key, so a resend is recognisable.</summary>
public sealed record OutgoingEmail(string To, EmailContent Content, string MessageId);

/// <summary>The e-mail channel: sends messages and says, per recipient, what the server answered.</summary>
public interface IEmailSender
{
    Task<IReadOnlyList<RecipientResult>> SendAsync(IReadOnlyList<OutgoingEmail> messages, CancellationToken cancellationToken);
}
