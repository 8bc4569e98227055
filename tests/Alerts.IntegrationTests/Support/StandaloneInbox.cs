using System.Globalization;

namespace Alerts.IntegrationTests.Support;

/// <summary>
/// A maildev of the test's own, outside any stack under test: what it received survives the stack being stopped and
/// started again, so a test can count each recipient's messages across restarts.
/// </summary>
public sealed class StandaloneInbox : IAsyncDisposable
{
    private ChildProcess? _process;

    public int SmtpPort { get; private set; }
    public int WebPort { get; private set; }
    public MailDev Inbox => new(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{WebPort}") });

    public async Task<StandaloneInbox> StartAsync()
    {
        await Repository.StartWithRetryAsync(
            () => (SmtpPort, WebPort) = (Repository.FreePort(), Repository.FreePort()),
            async () =>
            {
                _process = ChildProcess.Start("inbox", Repository.Tool("maildev"),
                    ["--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--smtp", Port(SmtpPort), "--web", Port(WebPort)]);
                await _process.WaitForPortAsync(SmtpPort, TimeSpan.FromSeconds(30));
                await _process.WaitForPortAsync(WebPort, TimeSpan.FromSeconds(30));
            },
            async () => await DisposeAsync());
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _process = null;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
