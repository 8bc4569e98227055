using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using System.Threading.Channels;
using Alerts.Contracts.Telemetry;
using Alerts.Grains;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Alerts.Silo.Notify.Channels;
using Alerts.Silo.Notify.Email;
using Microsoft.Extensions.Options;

namespace Alerts.Silo.Notify.Delivery;

/// <summary>
/// Delivers the notifications handed to this silo, one pass at a time per entry, in stages around the channel:
/// <list type="number">
/// <item><b>wait</b> for the entry's back-off (Alerts' clock), then for a place among the silo's
/// <see cref="OutboxOptions.MaxPassesPerSilo"/> passes, given fairly (<see cref="PassGate"/>: alerts first, organizations in turn);</item>
/// <item><b>lease</b>: begin a pass at the outbox, which leases the entry and returns the recipients still pending;</item>
/// <item><b>render</b> by kind, once per channel among the recipients (<see cref="INotificationChannel"/>; a recipient key
/// names its channel, <see cref="Recipient"/>);</item>
/// <item>per recipient: <b>pace</b> (a turn at the cluster-wide limit of its channel's relay, shared fairly between
/// organizations by <see cref="RelayTurns"/>; the lease is renewed while waiting),
/// <b>claim</b> (the lease is renewed and the recipient re-checked right before sending), <b>send</b> through the channel,
/// <b>record</b> the result at once (retried until the outbox takes it, never given up while the lease is ours);</item>
/// <item><b>end</b> the pass: the outbox finishes the entry or schedules the next pass, which this worker then waits for.</item>
/// </list>
/// A shutdown stops a pass between messages (the message in flight is sent and recorded) and ends it as interrupted,
/// so the silo that carries on sends only what was not sent.
/// </summary>
public sealed partial class DeliveryWorker(
    IGrainFactory grains,
    IEnumerable<INotificationChannel> channels,
    ILocalSiloDetails silo,
    IOptions<RelayLimitOptions> relay,
    IOptions<OutboxOptions> outbox,
    IOptions<EmailOptions> email,
    [FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    ILogger<DeliveryWorker> logger) : BackgroundService, IOutboxDispatcher
{
    private static readonly TimeSpan WaitStep = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);

    private readonly Channel<OutboxDelivery> _queue = Channel.CreateUnbounded<OutboxDelivery>();

    /// <summary>This worker's name in outbox leases: its silo's address, so a lease ends with the silo.</summary>
    private readonly string _name = silo.SiloAddress.ToParsableString();
    // Entries handed to this silo and not finished, with when each notification was created (the oldest pending age).
    private readonly ConcurrentDictionary<string, DateTimeOffset> _inProgress = new(StringComparer.Ordinal);
    private IDisposable? _pendingAge;
    private readonly ConcurrentDictionary<int, Task> _running = new();
    private readonly PassGate _passes = new(outbox.Value.MaxPassesPerSilo, outbox.Value.MaxPassesPerOrganization);

    public void Dispatch(OutboxDelivery delivery)
    {
        // One pass at a time per entry on this silo: a hand-over for an entry already in progress is dropped.
        if (_inProgress.TryAdd(Key(delivery), delivery.CreatedAt)) _queue.Writer.TryWrite(delivery);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _pendingAge ??= AlertsMetrics.TrackPendingAge(OldestPendingAgeSeconds);
        await foreach (var delivery in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            var run = RunAsync(delivery, stoppingToken);
            _running[run.Id] = run;
            _ = run.ContinueWith(done => _running.TryRemove(done.Id, out _), TaskScheduler.Default);
        }
    }

    /// <summary>Seconds since the oldest notification held here was created (entries from before creation times were kept count as new).</summary>
    private double OldestPendingAgeSeconds()
    {
        var oldest = DateTimeOffset.MaxValue;
        foreach (var created in _inProgress.Values)
            if (created != default && created < oldest) oldest = created;
        return oldest == DateTimeOffset.MaxValue ? 0 : Math.Max(0, (clock.GetUtcNow() - oldest).TotalSeconds);
    }

    public override void Dispose()
    {
        _pendingAge?.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Stops taking work and lets passes in progress end their current message and record it: as long as one SMTP
    /// exchange may take (twice the relay timeout) and a little more. The silo's shutdown allows for it (see AddAlerts).
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await Task.WhenAll(_running.Values).WaitAsync(StopAllowance(email.Value), cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            LogStopTimedOut(logger, _running.Count);
        }
    }

    /// <summary>How long a shutdown waits for passes to record their message in flight.</summary>
    public static TimeSpan StopAllowance(EmailOptions email) => TimeSpan.FromSeconds(2 * email.TimeoutSeconds + 10);

    private async Task RunAsync(OutboxDelivery? delivery, CancellationToken stopping)
    {
        var key = Key(delivery!);
        var org = delivery!.OrgId;
        try
        {
            while (delivery is not null && !stopping.IsCancellationRequested)
            {
                await WaitUntilAsync(delivery.NotBefore, stopping);
                // A place among this silo's passes is taken after the back-off, so entries waiting to retry hold none.
                await _passes.EnterAsync(org, delivery.Priority, delivery.CreatedAt, stopping);
                try
                {
                    var owner = grains.GetGrain<IOutboxGrain>(delivery.OrgId);
                    if (await owner.BeginPassAsync(delivery.EntryId, _name) is not { } pass)
                    {
                        LogNoPass(logger, key);
                        break;
                    }
                    var ticket = new RelayTicket(pass.PassId, pass.OrgId, delivery.Priority, delivery.CreatedAt);
                    // Each pass is a span of the trace that decided the notification (the report's request, for a threshold).
                    using var span = AlertsTelemetry.StartContinuing("alerts.notification.pass", pass.TraceParent);
                    span?.SetTag("alerts.org", pass.OrgId);
                    span?.SetTag("alerts.notification", pass.EntryId);
                    span?.SetTag("alerts.recipients", pass.Recipients.Count);
                    var (interrupted, sent) = await SendPassAsync(owner, pass, ticket, stopping);
                    span?.SetTag("alerts.sent", sent);
                    delivery = await UntilTakenAsync(() => owner.EndPassAsync(pass.EntryId, pass.PassId, interrupted), key, essential: true, stopping: CancellationToken.None);
                    LogPass(logger, key, sent, pass.Recipients.Count, interrupted);
                }
                finally
                {
                    _passes.Leave(org);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped while waiting for the back-off: nothing leased, the entry is handed over again after the restart.
        }
        catch (Exception exception)
        {
            // The outbox hands the entry over again (reminder or activation).
            LogPassFailed(logger, exception, key);
        }
        finally
        {
            _inProgress.TryRemove(key, out _);
        }
    }

    /// <summary>Sends to each pending recipient in turn. Returns whether a shutdown cut the pass short, and how many were sent.</summary>
    private async Task<(bool Interrupted, int Sent)> SendPassAsync(IOutboxGrain owner, OutboxPass pass, RelayTicket ticket, CancellationToken stopping)
    {
        // Rendered once per channel among the recipients; a notification with a payload per recipient (a digest) is
        // rendered per message, after its claim.
        var rendered = new Dictionary<string, object>(StringComparer.Ordinal);
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!pass.Personal)
        {
            foreach (var name in pass.Recipients.Select(key => Recipient.Parse(key).Channel).Distinct(StringComparer.Ordinal))
            {
                if (!_channels.TryGetValue(name, out var channel)) continue;
                try
                {
                    rendered[name] = await channel.RenderAsync(pass, pass.Payload, stopping);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Nothing goes out on this channel (the CSV could not be prepared, say): its recipients get this attempt's error.
                    failed[name] = exception.Message;
                }
            }
        }
        var sent = 0;
        for (var i = 0; i < pass.Recipients.Count; i++)
        {
            var key = pass.Recipients[i];
            var recipient = Recipient.Parse(key);
            RecipientResult result;
            if (!_channels.TryGetValue(recipient.Channel, out var channel))
            {
                result = new RecipientResult(key, RecipientOutcome.PermanentFailure, $"no channel named '{recipient.Channel}' is configured");
            }
            else if (failed.TryGetValue(recipient.Channel, out var error))
            {
                result = new RecipientResult(key, RecipientOutcome.TransientFailure, error);
            }
            else
            {
                ClaimResult claim;
                try
                {
                    if (!await WaitForTurnAsync(owner, pass, channel.Relay, ticket with { More = i < pass.Recipients.Count - 1 }, stopping)) return (false, sent);
                    claim = await UntilTakenAsync(() => owner.ClaimAsync(pass.EntryId, pass.PassId, key), Key(pass), stopping: stopping);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return (true, sent);
                }
                if (claim == ClaimResult.LeaseLost) return (false, sent);
                if (claim == ClaimResult.Skip) continue;
                // Not cancelled by a shutdown: a message begun is finished and recorded (the relay's timeout bounds it).
                result = rendered.TryGetValue(recipient.Channel, out var message)
                    ? await SendOneAsync(channel, message, pass, recipient)
                    : await SendPersonalAsync(channel, owner, pass, recipient);
            }
            AlertsMetrics.Messages.Add(1, new("channel", recipient.Channel), new("outcome", Outcome(result.Outcome)));
            if (!await UntilTakenAsync(() => owner.RecordAsync(pass.EntryId, pass.PassId, result), Key(pass), essential: true, stopping: CancellationToken.None)) return (false, sent);
            if (result.Outcome == RecipientOutcome.Delivered) sent++;
            if (stopping.IsCancellationRequested) return (true, sent);
        }
        return (false, sent);
    }

    /// <summary>Renders and sends one recipient's own payload; a payload that cannot be read or rendered fails that message only.</summary>
    private async Task<RecipientResult> SendPersonalAsync(INotificationChannel channel, IOutboxGrain owner, OutboxPass pass, Recipient recipient)
    {
        object message;
        try
        {
            var payload = await owner.PersonalPayloadAsync(pass.EntryId, recipient.Key)
                          ?? throw new InvalidOperationException($"no payload is stored for {recipient.Key} in {pass.EntryId}");
            message = await channel.RenderAsync(pass, payload, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogSendFailed(logger, exception, recipient.Key);
            return new RecipientResult(recipient.Key, RecipientOutcome.TransientFailure, exception.Message);
        }
        return await SendOneAsync(channel, message, pass, recipient);
    }

    /// <summary>One result per recipient, whatever the channel does: a surprise is a transient failure of this message only.</summary>
    private async Task<RecipientResult> SendOneAsync(INotificationChannel channel, object message, OutboxPass pass, Recipient recipient)
    {
        using var span = AlertsTelemetry.Source.StartActivity("alerts.notification.send", ActivityKind.Client);
        span?.SetTag("alerts.channel", recipient.Channel);
        try
        {
            var result = await channel.SendAsync(message, recipient.Address, MessageId(pass, recipient.Key), CancellationToken.None);
            span?.SetTag("alerts.outcome", Outcome(result.Outcome));
            if (result.Outcome != RecipientOutcome.Delivered) span?.SetStatus(ActivityStatusCode.Error, result.Reply);
            // Recorded under the recipient's key, whatever the channel calls the address.
            return result.Address == recipient.Key ? result : result with { Address = recipient.Key };
        }
        catch (Exception exception)
        {
            span?.SetStatus(ActivityStatusCode.Error, exception.Message);
            LogSendFailed(logger, exception, recipient.Key);
            return new RecipientResult(recipient.Key, RecipientOutcome.TransientFailure, exception.Message);
        }
    }

    /// <summary>
    /// Waits for this message's turn under the cluster-wide limit of its channel's relay: asks, sleeps until the turn's
    /// time (renewing the lease meanwhile), and asks again until granted. False when the lease was lost while waiting.
    /// </summary>
    private async Task<bool> WaitForTurnAsync(IOutboxGrain owner, OutboxPass pass, string relayName, RelayTicket ticket, CancellationToken stopping)
    {
        if (relay.Value.For(relayName).MaxMessagesPerWindow <= 0) return true;
        var asked = System.Diagnostics.Stopwatch.GetTimestamp();
        var renewEvery = outbox.Value.PassLease / 3;
        var renewed = DateTimeOffset.UtcNow;
        while (true)
        {
            // Storage trouble does not end the pass: it waits here, holding what it sent so far recorded.
            var turn = await UntilTakenAsync(() => grains.GetGrain<IRelayLimiter>(relayName).TakeTurnAsync(ticket), Key(pass), stopping: stopping);
            TimeSpan wait;
            // One sleep until the turn or the next renewal, whichever is first: thousands of passes queued behind the relay
            // limit (a digest round across many organizations) wait without waking every second.
            while ((wait = turn.At - DateTimeOffset.UtcNow) > TimeSpan.Zero)
            {
                var untilRenewal = renewed + renewEvery - DateTimeOffset.UtcNow;
                await Task.Delay(wait < untilRenewal ? wait : untilRenewal > TimeSpan.Zero ? untilRenewal : TimeSpan.Zero, stopping);
                if (DateTimeOffset.UtcNow - renewed < renewEvery) continue;
                if (!await UntilTakenAsync(() => owner.RenewAsync(pass.EntryId, pass.PassId), Key(pass), stopping: stopping)) return false;
                renewed = DateTimeOffset.UtcNow;
            }
            if (turn.Granted)
            {
                AlertsMetrics.RelayWait.Record(System.Diagnostics.Stopwatch.GetElapsedTime(asked).TotalSeconds, new KeyValuePair<string, object?>("relay", relayName));
                return true;
            }
        }
    }

    /// <summary>
    /// Calls the outbox (or the relay limit) until it answers; a refusal (the lease is gone) is an answer. An
    /// <paramref name="essential"/> call — the result of a message that went out, the end of a pass — is never given up
    /// on, shutdown or not: giving up would leave the entry to another pass, which would send that message again. Other
    /// calls give up after about ten minutes (the entry is handed over again later) and stop waiting at a shutdown.
    /// </summary>
    private async Task<T> UntilTakenAsync<T>(Func<Task<T>> call, string key, bool essential = false, CancellationToken stopping = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception exception) when (exception is not OperationCanceledException && (essential || attempt < 40))
            {
                LogOutboxRetried(logger, exception, key, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(15, attempt)), essential ? CancellationToken.None : stopping);
            }
        }
    }

    /// <summary>
    /// Waits for an absolute time on Alerts' clock in steps of at most a second, re-reading the clock between them: a delay
    /// computed once would overshoot by however far the clock moved (a time adjustment, a test's clock) before it started.
    /// </summary>
    private async Task WaitUntilAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        while ((wait = time - clock.GetUtcNow()) > TimeSpan.Zero)
            await Task.Delay(wait < WaitStep ? wait : WaitStep, clock, cancellationToken);
    }

    private static string Outcome(RecipientOutcome outcome) => outcome switch
    {
        RecipientOutcome.Delivered => "delivered",
        RecipientOutcome.PermanentFailure => "permanent_failure",
        _ => "transient_failure",
    };

    /// <summary>Stable per (organization, entry, recipient): a message sent twice carries the same Message-ID.</summary>
    internal static string MessageId(OutboxPass pass, string recipient)
    {
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{pass.OrgId}\n{pass.EntryId}\n{recipient.ToLowerInvariant()}"));
        return $"{pass.EntryId}.{hash:x16}@alerts.local";
    }

    private static string Key(OutboxDelivery delivery) => $"{delivery.OrgId}/{delivery.EntryId}";

    private static string Key(OutboxPass pass) => $"{pass.OrgId}/{pass.EntryId}";

    [LoggerMessage(2003, LogLevel.Information, "Delivery of {Entry}: {Sent} of {Recipients} sent in this pass (interrupted: {Interrupted})")]
    private static partial void LogPass(ILogger logger, string entry, int sent, int recipients, bool interrupted);

    [LoggerMessage(2004, LogLevel.Debug, "Hand-over of {Entry} dropped: finished, held, not due, or another worker holds it")]
    private static partial void LogNoPass(ILogger logger, string entry);

    [LoggerMessage(2002, LogLevel.Warning, "Telling the outbox about {Entry} failed (attempt {Attempt}); retrying")]
    private static partial void LogOutboxRetried(ILogger logger, Exception exception, string entry, int attempt);

    [LoggerMessage(2001, LogLevel.Warning, "Delivery pass for {Entry} failed; it is handed over again later")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string entry);

    [LoggerMessage(2006, LogLevel.Warning, "Sending to {Recipient} failed unexpectedly; that message is retried")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string recipient);

    [LoggerMessage(2005, LogLevel.Warning, "Stopping: {Count} delivery pass(es) did not end in time; what they sent is recorded, the rest is sent after the restart")]
    private static partial void LogStopTimedOut(ILogger logger, int count);
}
