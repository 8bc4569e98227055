using System.Net.Sockets;
using Alerts.Grains.Notifications;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Alerts.Silo.Email;

/// <summary>Sends through an SMTP relay with MailKit: one connection for a pass, one message per recipient.</summary>
public sealed class SmtpEmailSender(IOptions<EmailOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task<IReadOnlyList<RecipientResult>> SendAsync(IReadOnlyList<OutgoingEmail> messages, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var results = new List<RecipientResult>(messages.Count);
        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, settings.Security, cancellationToken);
            if (!string.IsNullOrEmpty(settings.Username))
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
        }
        catch (Exception exception) when (IsTransient(exception))
        {
            Log.RelayUnreachable(logger, exception, settings.SmtpHost, settings.SmtpPort);
            return messages.Select(m => new RecipientResult(m.To, RecipientOutcome.TransientFailure, $"cannot reach {settings.SmtpHost}:{settings.SmtpPort}: {exception.Message}")).ToList();
        }

        foreach (var message in messages)
        {
            if (!client.IsConnected)
            {
                results.Add(new RecipientResult(message.To, RecipientOutcome.TransientFailure, "connection to the relay was lost"));
                continue;
            }
            results.Add(await SendOneAsync(client, Build(settings, message), message.To, cancellationToken));
        }
        if (client.IsConnected) await client.DisconnectAsync(quit: true, CancellationToken.None);
        return results;
    }

    private static async Task<RecipientResult> SendOneAsync(SmtpClient client, MimeMessage message, string to, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await client.SendAsync(message, cancellationToken);
            return new RecipientResult(to, RecipientOutcome.Delivered, reply);
        }
        catch (SmtpCommandException exception)
        {
            // 5xx: the relay refuses this recipient or message for good; 4xx: try again later.
            var permanent = (int)exception.StatusCode >= 500;
            return new RecipientResult(to, permanent ? RecipientOutcome.PermanentFailure : RecipientOutcome.TransientFailure,
                $"{(int)exception.StatusCode} {exception.Message}");
        }
        catch (Exception exception) when (IsTransient(exception))
        {
            return new RecipientResult(to, RecipientOutcome.TransientFailure, exception.Message);
        }
    }

    private static MimeMessage Build(EmailOptions settings, OutgoingEmail email)
    {
        var message = new MimeMessage
        {
            Subject = email.Content.Subject,
            MessageId = email.MessageId,
            Body = new BodyBuilder { TextBody = email.Content.Text, HtmlBody = email.Content.Html }.ToMessageBody(),
        };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        return message;
    }

    private static bool IsTransient(Exception exception) =>
        exception is SocketException or IOException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException
            or OperationCanceledException or SmtpCommandException { StatusCode: < (SmtpStatusCode)500 };
}
