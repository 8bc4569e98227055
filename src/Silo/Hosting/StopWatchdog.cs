using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Alerts.Silo.Hosting;

/// <summary>
/// Bounds a silo process's stop. A graceful stop takes the host's <see cref="HostOptions.ShutdownTimeout"/> at most: the
/// delivery worker's allowance for the message in flight (see <c>AddAlerts</c>) and Orleans' own stop. A stage that
/// ignores its cancellation — a storage call retried while Azure Storage is unreachable, say — could otherwise keep the
/// process alive for minutes; <see cref="Grace"/> past the timeout, the process ends itself (exit code 137). Only the
/// silo program registers it: a test cluster shares its process with the tests.
/// </summary>
public sealed partial class StopWatchdog(IHostApplicationLifetime lifetime, IOptions<HostOptions> host, ILogger<StopWatchdog> logger) : IHostedService
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    /// <summary>How long after SIGTERM the process is gone at the latest.</summary>
    public TimeSpan Bound => host.Value.ShutdownTimeout + Grace;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(Arm);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Arm()
    {
        var bound = Bound;
        LogStopping(logger, bound);
        // A thread of its own: a starved thread pool (the very thing that can make a stop hang) cannot delay it.
        new Thread(() =>
        {
            Thread.Sleep(bound);
            // Straight to stderr: the logging pipeline is asynchronous and the process ends on the next line.
            Console.Error.WriteLine($"Alerts.Silo: the stop took longer than its bound of {bound.TotalSeconds:0} s; ending the process.");
            Console.Error.Flush();
            Process.GetCurrentProcess().Kill();
        })
        { IsBackground = true, Name = "stop-watchdog" }.Start();
    }

    [LoggerMessage(1101, LogLevel.Information, "Stopping; the process ends within {Bound} whatever storage does")]
    private static partial void LogStopping(ILogger logger, TimeSpan bound);
}
