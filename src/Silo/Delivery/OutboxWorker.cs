using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;
using System.Threading.Channels;
using Alerts.Grains;
using Alerts.Grains.Notifications;
using Alerts.Silo.Email;
using Alerts.Silo.Exports;

namespace Alerts.Silo.Delivery;

/// <summary>
/// Delivers outbox entries handed over by grains on this silo: waits for the entry's back-off, renders
/// the e-mail, sends it to each unsent recipient and reports the results to the owning grain, which
/// answers with the next pass if some recipients must be retried.
/// <para>An entry is worked on by one pass at a time: a hand-over for an entry already in progress is ignored.</para>
/// </summary>
public sealed partial class OutboxWorker(
    IGrainFactory grains,
    IEmailSender sender,
    IErrorExports exports,
    ILocalSiloDetails silo,
    [FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    ILogger<OutboxWorker> logger) : BackgroundService, IOutboxDispatcher
{
    private readonly Channel<OutboxDelivery> _queue = Channel.CreateUnbounded<OutboxDelivery>();

    /// <summary>This worker's name in outbox leases: its silo's address, so a lease dies with the silo.</summary>
    private readonly string _name = silo.SiloAddress.ToParsableString();
    private readonly ConcurrentDictionary<string, bool> _inProgress = new(StringComparer.Ordinal);

    public void Dispatch(OutboxDelivery delivery)
    {
        if (_inProgress.TryAdd(Key(delivery), true)) _queue.Writer.TryWrite(delivery);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var delivery in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            _ = RunAsync(delivery, stoppingToken);
        }
    }

    private async Task RunAsync(OutboxDelivery? delivery, CancellationToken stoppingToken)
    {
        var key = Key(delivery!);
        try
        {
            while (delivery is not null && !stoppingToken.IsCancellationRequested)
            {
                await WaitUntilAsync(delivery.NotBefore, stoppingToken);
                // Take the lease and the entry as it is now; null: finished, or another silo's worker is on it.
                var pass = await grains.GetGrain<IOutboxOwner>(delivery.OrgId).BeginPassAsync(delivery.EntryId, _name);
                if (pass is null)
                {
                    LogNoPass(logger, key);
                    break;
                }
                var results = await SendAsync(pass, stoppingToken);
                LogPass(logger, key, results.Count(r => r.Outcome == RecipientOutcome.Delivered),
                    results.Count(r => r.Outcome == RecipientOutcome.TransientFailure), results.Count(r => r.Outcome == RecipientOutcome.PermanentFailure));
                delivery = await ReportAsync(pass, results, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the entry stays pending and is handed over again after the restart.
        }
        catch (Exception exception)
        {
            // The grain will hand the entry over again (reminder or activation).
            LogPassFailed(logger, exception, key);
        }
        finally
        {
            _inProgress.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// Waits for an absolute time in steps of at most a second, re-reading the clock between them: a delay computed
    /// once would overshoot by however far the clock moved (a time adjustment, a test's clock) before it started.
    /// </summary>
    private async Task WaitUntilAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        while ((wait = time - clock.GetUtcNow()) > TimeSpan.Zero)
            await Task.Delay(wait < WaitStep ? wait : WaitStep, clock, cancellationToken);
    }

    private static readonly TimeSpan WaitStep = TimeSpan.FromSeconds(1);

    private async Task<IReadOnlyList<RecipientResult>> SendAsync(OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            var content = await RenderAsync(delivery, cancellationToken);
            var messages = delivery.Recipients
                .Select(to => new OutgoingEmail(to, content, MessageId(delivery, to)))
                .ToList();
            return await sender.SendAsync(messages, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Nothing was sent (the CSV could not be prepared, say): every recipient is retried.
            return delivery.Recipients.Select(to => new RecipientResult(to, RecipientOutcome.TransientFailure, exception.Message)).ToList();
        }
    }

    private async Task<EmailContent> RenderAsync(OutboxDelivery delivery, CancellationToken cancellationToken) => delivery.Kind switch
    {
        Contracts.NotificationKind.ThresholdExceeded =>
            EmailTemplates.ThresholdExceeded(delivery.Threshold!, await exports.LinkAsync(delivery, cancellationToken)),
        _ => throw new NotSupportedException($"no template for {delivery.Kind}"),
    };

    /// <summary>
    /// Tells the owning grain what happened. Messages already went out, so a failed report is retried rather than
    /// given up: giving up would hand the entry over again and send the same messages twice.
    /// </summary>
    private async Task<OutboxDelivery?> ReportAsync(OutboxDelivery delivery, IReadOnlyList<RecipientResult> results, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await grains.GetGrain<IOutboxOwner>(delivery.OrgId).RecordDeliveryAsync(delivery.EntryId, results);
            }
            catch (Exception exception) when (attempt < ReportAttempts && exception is not OperationCanceledException)
            {
                LogReportRetried(logger, exception, Key(delivery), attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * attempt)), clock, cancellationToken);
            }
        }
    }

    private const int ReportAttempts = 8;

    /// <summary>Stable per (organization, entry, recipient): a message sent twice carries the same Message-ID.</summary>
    internal static string MessageId(OutboxDelivery delivery, string recipient)
    {
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{delivery.OrgId}\n{delivery.EntryId}\n{recipient.ToLowerInvariant()}"));
        return $"{delivery.EntryId}.{hash:x16}@alerts.local";
    }

    private static string Key(OutboxDelivery delivery) => $"{delivery.OrgId}/{delivery.EntryId}";

    [LoggerMessage(2003, LogLevel.Information, "Delivery of {Entry}: {Delivered} delivered, {Retried} to retry, {Rejected} rejected")]
    private static partial void LogPass(ILogger logger, string entry, int delivered, int retried, int rejected);

    [LoggerMessage(2004, LogLevel.Debug, "Hand-over of {Entry} dropped: finished, or another worker holds it")]
    private static partial void LogNoPass(ILogger logger, string entry);

    [LoggerMessage(2002, LogLevel.Warning, "Recording the delivery of {Entry} failed (attempt {Attempt}); retrying")]
    private static partial void LogReportRetried(ILogger logger, Exception exception, string entry, int attempt);

    [LoggerMessage(2001, LogLevel.Warning, "Delivery pass for {Entry} failed; it is handed over again later")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string entry);
}
