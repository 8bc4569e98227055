using System.Net;
using System.Net.Sockets;
using System.Text;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Alerts.Silo.Notify.Email;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Alerts.Tests.Channels;

/// <summary>How the SMTP channel reads a relay's answers, against a scripted relay on loopback.</summary>
public sealed class SmtpEmailSenderTests
{
    private static readonly EmailContent Content = new("Subject", "Text", "<p>Html</p>");

    [Fact]
    public async Task A_recipient_refused_with_5xx_fails_for_good()
    {
        await using var relay = ScriptedRelay.Start(rcpt: address => address.StartsWith("nobody", StringComparison.Ordinal) ? "550 5.1.1 no such user" : "250 OK");
        await using var sender = Sender(relay.Port);
        Assert.Equal(RecipientOutcome.PermanentFailure, (await sender.SendAsync(Email("nobody@x.test"), CancellationToken.None)).Outcome);
        Assert.Equal(RecipientOutcome.Delivered, (await sender.SendAsync(Email("ops@x.test"), CancellationToken.None)).Outcome);
    }

    [Theory]
    [InlineData("554 5.7.1 service refused", null)]
    [InlineData(null, "550 5.7.1 sender not allowed")]
    [InlineData(null, "451 4.3.0 try later")]
    public async Task A_relay_refusing_the_session_or_the_sender_is_a_relay_problem_to_retry_not_the_recipients(string? greeting, string? mailFrom)
    {
        await using var relay = ScriptedRelay.Start(greeting: greeting, mailFrom: mailFrom);
        await using var sender = Sender(relay.Port);
        var result = await sender.SendAsync(Email("ops@x.test"), CancellationToken.None);
        Assert.Equal(RecipientOutcome.TransientFailure, result.Outcome);
        Assert.Contains((greeting ?? mailFrom)![..3], result.Reply);
    }

    [Fact]
    public async Task An_address_that_cannot_be_parsed_fails_for_good_without_troubling_the_relay()
    {
        await using var relay = ScriptedRelay.Start();
        await using var sender = Sender(relay.Port);
        var result = await sender.SendAsync(Email("not an address"), CancellationToken.None);
        Assert.Equal(RecipientOutcome.PermanentFailure, result.Outcome);
        Assert.Equal(0, relay.Connections);
    }

    [Fact]
    public async Task Messages_say_they_are_automatic_and_where_to_manage_them()
    {
        await using var relay = ScriptedRelay.Start();
        await using var sender = Sender(relay.Port);
        var email = new OutgoingEmail("ops@x.test", Content with { ManageUrl = "https://alerts.example/ui/orgs/acme/users" }, "m1@alerts.local");
        Assert.Equal(RecipientOutcome.Delivered, (await sender.SendAsync(email, CancellationToken.None)).Outcome);
        var sent = Assert.Single(relay.Messages);
        Assert.Contains("Auto-Submitted: auto-generated", sent);
        Assert.Contains("List-Unsubscribe: <https://alerts.example/ui/orgs/acme/users>", sent);
    }

    [Fact]
    public async Task A_relay_that_is_not_there_is_a_transient_failure()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var sender = Sender(port);
        Assert.Equal(RecipientOutcome.TransientFailure, (await sender.SendAsync(Email("ops@x.test"), CancellationToken.None)).Outcome);
    }

    private static OutgoingEmail Email(string to) => new(to, Content, $"{Guid.NewGuid():N}@alerts.local");

    private static SmtpEmailSender Sender(int port) => new(
        Options.Create(new EmailOptions { SmtpHost = "127.0.0.1", SmtpPort = port, TimeoutSeconds = 5 }), NullLogger<SmtpEmailSender>.Instance);

    /// <summary>A relay that answers from a script: a greeting, the reply to MAIL FROM, the reply to each RCPT TO.</summary>
    private sealed class ScriptedRelay : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly string _greeting;
        private readonly string _mailFrom;
        private readonly Func<string, string> _rcpt;
        private int _connections;

        private ScriptedRelay(string greeting, string mailFrom, Func<string, string> rcpt)
        {
            (_greeting, _mailFrom, _rcpt) = (greeting, mailFrom, rcpt);
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Connections => Volatile.Read(ref _connections);

        /// <summary>Every message received, as sent (headers and body).</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public static ScriptedRelay Start(string? greeting = null, string? mailFrom = null, Func<string, string>? rcpt = null) =>
            new(greeting ?? "220 relay ready", mailFrom ?? "250 OK", rcpt ?? (_ => "250 OK"));

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                Interlocked.Increment(ref _connections);
                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync(_greeting);
                if (!_greeting.StartsWith('2')) return;
                while (await reader.ReadLineAsync() is { } line)
                {
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                            await writer.WriteLineAsync("250-relay");
                            await writer.WriteLineAsync("250 8BITMIME");
                            break;
                        case "MAIL":
                            await writer.WriteLineAsync(_mailFrom);
                            break;
                        case "RCPT":
                            await writer.WriteLineAsync(_rcpt(line[(line.IndexOf('<') + 1)..line.IndexOf('>')]));
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 go ahead");
                            var message = new StringBuilder();
                            while (await reader.ReadLineAsync() is { } data && data != ".") message.AppendLine(data);
                            Messages.Enqueue(message.ToString());
                            await writer.WriteLineAsync("250 2.0.0 queued");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            return;
                        default:
                            await writer.WriteLineAsync("250 OK");
                            break;
                    }
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
