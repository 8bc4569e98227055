using System.Net.Sockets;
using System.Threading.RateLimiting;
using Alerts.Grains.Notifications;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Alerts.Silo.Email;

/// <summary>
/// Sends through one SMTP relay with MailKit: one connection, kept open between messages and passes (and opened
/// again when it dropped or sat idle), one message per recipient, at most
/// <see cref="EmailOptions.MaxMessagesPerWindow"/> per <see cref="EmailOptions.RateWindow"/> — over the cap a
/// message waits for its turn; none is dropped.
/// </summary>
public sealed partial class SmtpEmailSender : IEmailSender, IAsyncDisposable
{
    private readonly EmailOptions _settings;
    private readonly ILogger<SmtpEmailSender> _logger;
    private readonly SemaphoreSlim _connection = new(1, 1);
    private readonly RateLimiter? _limiter;
    private SmtpClient? _client;
    private DateTime _lastUsed;

    public SmtpEmailSender(IOptions<EmailOptions> options, ILogger<SmtpEmailSender> logger)
    {
        _settings = options.Value;
        _logger = logger;
        if (_settings.MaxMessagesPerWindow > 0)
        {
            _limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = _settings.MaxMessagesPerWindow,
                Window = _settings.RateWindow,
                SegmentsPerWindow = 6,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
    }

    public async Task<IReadOnlyList<RecipientResult>> SendAsync(IReadOnlyList<OutgoingEmail> messages, CancellationToken cancellationToken)
    {
        var results = new List<RecipientResult>(messages.Count);
        await _connection.WaitAsync(cancellationToken);
        try
        {
            foreach (var message in messages)
            {
                using var permit = _limiter is null ? null : await _limiter.AcquireAsync(1, cancellationToken);
                results.Add(await SendOneAsync(message, cancellationToken));
            }
        }
        finally
        {
            _connection.Release();
        }
        return results;
    }

    private async Task<RecipientResult> SendOneAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        try
        {
            var client = await ConnectedAsync(cancellationToken);
            var reply = await client.SendAsync(Build(email), cancellationToken);
            _lastUsed = DateTime.UtcNow;
            return new RecipientResult(email.To, RecipientOutcome.Delivered, reply);
        }
        catch (SmtpCommandException exception)
        {
            // 5xx: the relay refuses this recipient or message for good; 4xx: try again later.
            var permanent = (int)exception.StatusCode >= 500;
            return new RecipientResult(email.To, permanent ? RecipientOutcome.PermanentFailure : RecipientOutcome.TransientFailure,
                $"{(int)exception.StatusCode} {exception.Message}");
        }
        catch (Exception exception) when (exception is SocketException or IOException or TimeoutException or SmtpProtocolException
                                              or ServiceNotConnectedException or ServiceNotAuthenticatedException or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException)
        {
            await DropConnectionAsync();
            LogRelayFailed(_logger, exception, _settings.SmtpHost, _settings.SmtpPort);
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
        catch (Exception exception) when (exception is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException)
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
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await DropConnectionAsync();
        _limiter?.Dispose();
        _connection.Dispose();
    }

    [LoggerMessage(3001, LogLevel.Warning, "Sending through the SMTP relay {Host}:{Port} failed; the message is retried")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, string host, int port);
}
