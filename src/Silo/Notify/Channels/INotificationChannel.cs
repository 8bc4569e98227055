using Alerts.Grains.Notify;

namespace Alerts.Silo.Notify.Channels;

/// <summary>
/// One way of telling people (e-mail, a chat service): it renders a payload for its medium and sends one rendered
/// message to one address. Everything around it — waiting for the entry's back-off, the lease, the pace of its
/// <see cref="Relay"/>, the claim before each message, recording the result — is the delivery worker's, the same for
/// every channel. Register an implementation as a singleton <see cref="INotificationChannel"/>; recipients reach it by
/// its <see cref="Name"/> (<see cref="Recipient.Channel"/>).
/// </summary>
public interface INotificationChannel
{
    /// <summary>The channel's name in recipient keys, e.g. <c>email</c>.</summary>
    string Name { get; }

    /// <summary>The rate limit its messages share across the cluster (<see cref="RelayLimitOptions.For"/>).</summary>
    string Relay { get; }

    /// <summary>
    /// The message for a payload; rendered once per pass and channel (once per recipient for a payload of their own).
    /// May throw: the pass records a transient failure for the channel's recipients and is retried.
    /// </summary>
    Task<object> RenderAsync(OutboxPass pass, NotificationPayload payload, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a rendered message to one address and says how it went; never throws for a message it could not send.
    /// <paramref name="messageId"/> is stable per entry and recipient, so a resend is recognisable.
    /// </summary>
    Task<RecipientResult> SendAsync(object message, string address, string messageId, CancellationToken cancellationToken);
}

/// <summary>A channel with a typed message: implement the two typed methods.</summary>
public abstract class NotificationChannel<TMessage> : INotificationChannel where TMessage : class
{
    public abstract string Name { get; }

    public abstract string Relay { get; }

    protected abstract Task<TMessage> RenderAsync(OutboxPass pass, NotificationPayload payload, CancellationToken cancellationToken);

    protected abstract Task<RecipientResult> SendAsync(TMessage message, string address, string messageId, CancellationToken cancellationToken);

    async Task<object> INotificationChannel.RenderAsync(OutboxPass pass, NotificationPayload payload, CancellationToken cancellationToken) =>
        await RenderAsync(pass, payload, cancellationToken);

    Task<RecipientResult> INotificationChannel.SendAsync(object message, string address, string messageId, CancellationToken cancellationToken) =>
        SendAsync((TMessage)message, address, messageId, cancellationToken);
}
