using System.Net.Sockets;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Alerts.Silo.Notify.Email;

/// <summary>
/// Sends through one SMTP relay with MailKit: one connection, kept open between messages (and opened again when it
/// dropped or sat idle), one message at a time. How the relay's answer is read:
/// <list type="bullet">
/// <item>the recipient (RCPT TO) or the message (DATA) refused with 5xx: permanent for that recipient;</item>
/// <item>anything refused with 4xx, a connection or TLS failure, a timeout: transient;</item>
/// <item>5xx at connect, EHLO, AUTH or MAIL FROM: the relay (or our configuration) is the problem, not the recipient —
/// transient, and logged as an error for the operator;</item>
/// <item>an address MimeKit cannot parse: permanent for that recipient; any other surprise: transient for that message only.</item>
/// </list>
/// </summary>
public sealed partial class SmtpEmailSender(IOptions<EmailOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender, IAsyncDisposable
{
    private readonly EmailOptions _settings = options.Value;
    private readonly SemaphoreSlim _connection = new(1, 1);
    private SmtpClient? _client;
    private DateTime _lastUsed;

    public async Task<RecipientResult> SendAsync(OutgoingEmail message, CancellationToken cancellationToken)
    {
        await _connection.WaitAsync(cancellationToken);
        try
        {
            return await SendOneAsync(message, cancellationToken);
        }
        finally
        {
            _connection.Release();
        }
    }

    private async Task<RecipientResult> SendOneAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        MimeMessage mime;
        try
        {
            mime = Build(email);
        }
        catch (ParseException exception)
        {
            return new RecipientResult(email.To, RecipientOutcome.PermanentFailure, $"not an address the relay can take: {exception.Message}");
        }
        try
        {
            var client = await ConnectedAsync(cancellationToken);
            var reply = await client.SendAsync(mime, cancellationToken);
            _lastUsed = DateTime.UtcNow;
            return new RecipientResult(email.To, RecipientOutcome.Delivered, reply);
        }
        catch (SmtpCommandException exception) when ((int)exception.StatusCode >= 500
            && exception.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            return new RecipientResult(email.To, RecipientOutcome.PermanentFailure, $"{(int)exception.StatusCode} {exception.Message}");
        }
        catch (SmtpCommandException exception)
        {
            // 4xx anywhere, or 5xx for the sender or the session: try again later, and tell the operator about a 5xx.
            if ((int)exception.StatusCode >= 500) LogRelayRefused(logger, exception, _settings.SmtpHost, _settings.SmtpPort, (int)exception.StatusCode, exception.ErrorCode.ToString());
            await DropConnectionAsync();
            return new RecipientResult(email.To, RecipientOutcome.TransientFailure, $"{(int)exception.StatusCode} {exception.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            await DropConnectionAsync();
            LogRelayFailed(logger, exception, _settings.SmtpHost, _settings.SmtpPort);
            return new RecipientResult(email.To, RecipientOutcome.TransientFailure, $"{_settings.SmtpHost}:{_settings.SmtpPort}: {exception.Message}");
        }
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } && DateTime.UtcNow - _lastUsed < _settings.IdleTimeout) return _client;
        await DropConnectionAsync();
        var client = new SmtpClient { Timeout = _settings.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(_settings.SmtpHost, _settings.SmtpPort, _settings.Security, cancellationToken);
            if (!string.IsNullOrEmpty(_settings.Username))
                await client.AuthenticateAsync(_settings.Username, _settings.Password ?? "", cancellationToken);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        _client = client;
        _lastUsed = DateTime.UtcNow;
        return client;
    }

    private async Task DropConnectionAsync()
    {
        if (_client is null) return;
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception exception) when (exception is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException or SmtpCommandException)
        {
            // It was going away anyway.
        }
        _client.Dispose();
        _client = null;
    }

    private MimeMessage Build(OutgoingEmail email)
    {
        var message = new MimeMessage
        {
            Subject = email.Content.Subject,
            MessageId = email.MessageId,
            Body = new BodyBuilder { TextBody = email.Content.Text, HtmlBody = email.Content.Html }.ToMessageBody(),
        };
        message.From.Add(MailboxAddress.Parse(_settings.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        // RFC 3834: a machine wrote this, auto-responders should not answer it.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        // RFC 2369: where the recipient manages what they receive.
        if (email.Content.ManageUrl is { } manage) message.Headers.Add("List-Unsubscribe", $"<{manage}>");
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await DropConnectionAsync();
        _connection.Dispose();
    }

    [LoggerMessage(3001, LogLevel.Warning, "Sending through the SMTP relay {Host}:{Port} failed; the message is retried")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, string host, int port);

    [LoggerMessage(3002, LogLevel.Error, "The SMTP relay {Host}:{Port} refused the session or the sender ({Status}, {Step}): check the relay and Alerts:Email; messages are retried")]
    private static partial void LogRelayRefused(ILogger logger, Exception exception, string host, int port, int status, string step);
}
