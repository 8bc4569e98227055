using System.Globalization;
using Alerts.Contracts;
using Alerts.Contracts.Telemetry;
using Microsoft.Extensions.Logging;
using Alerts.Grains.Stores;

namespace Alerts.Grains.Webhooks.Delivery;

/// <summary>
/// A subscription's delivery queue and its sending loop (SPEC §6): messages are sent one at a time, oldest due first,
/// each attempt signed afresh, logged in <see cref="IWebhookStore"/>, and its outcome — the breaker's step, the
/// back-off, the pause of the whole subscription — written to the state before the next. At most
/// <see cref="DeliveryOptions.MaxPending"/> wait; past it the oldest (never the one in flight) is dropped and logged.
/// </summary>
internal sealed partial class DeliveryLoop
{
    private readonly IWebhookHost _host;
    private readonly IWebhookSender _sender;
    private readonly IWebhookStore _store;
    private readonly OwnerNotices _notices;
    private bool _pumping;
    private WaitingMessage? _inFlight;

    public DeliveryLoop(Grain grain, IWebhookHost host, IWebhookSender sender, IWebhookStore store, OwnerNotices notices)
    {
        _host = host;
        _sender = sender;
        _store = store;
        _notices = notices;
        WakeUps = new WakeUps(grain, host, OnTimerAsync);
    }

    public WakeUps WakeUps { get; }

    private WebhookSubscriptionState State => _host.State;
    private DeliveryOptions Options => _host.Options;
    private string OrgId => _host.OrgId;
    private string WebhookId => _host.WebhookId;

    public async Task<bool> EnqueueAsync(StoredMessage message)
    {
        if (!State.Exists || !State.Events.Contains(message.EventType, StringComparer.Ordinal)) return false;
        if (!State.Enabled && !State.KeepWhileDisabled) return false; // SPEC §6.4: left out of dispatch
        if (State.Recent.Contains(message.MessageId, StringComparer.Ordinal)) return true;
        if (State.Waiting.Any(w => w.MessageId == message.MessageId))
        {
            // Taken before (a publisher retrying after a failure of ours): make sure it is on its way.
            await WakeUpAsync();
            return true;
        }
        await _store.SaveMessageAsync(OrgId, WebhookId, message);
        if (State.Waiting.Any(w => w.MessageId == message.MessageId)) return true; // the same message, enqueued meanwhile
        var now = _host.Now;
        State.Waiting.Add(new WaitingMessage
        {
            MessageId = message.MessageId, EventType = message.EventType, QueuedAt = now, NextAttemptAt = now,
            TraceParent = AlertsTelemetry.CurrentTraceParent(), Held = !State.Enabled,
        });
        var dropped = new List<WaitingMessage>();
        while (State.Waiting.Count > Options.MaxPending)
        {
            // The oldest waiting, but not the one being sent right now.
            var oldest = State.Waiting.First(w => !ReferenceEquals(w, _inFlight));
            dropped.Add(oldest);
            State.Waiting.Remove(oldest);
        }
        if (!State.Enabled) State.DroppedWhileDisabled += dropped.Count;
        await _host.SaveAsync();
        foreach (var gone in dropped)
        {
            LogDropped(_host.Logger, OrgId, WebhookId, gone.MessageId, Options.MaxPending);
            await LogAttemptAsync(new DeliveryAttempt(gone.MessageId, gone.EventType, gone.Attempts, now, DeliveryOutcome.Dropped, null, 0,
                $"dropped: more than {Options.MaxPending} messages were waiting", null, null));
        }
        await WakeUpAsync();
        return true;
    }

    public async Task<bool> ResendAsync(string messageId)
    {
        if (!State.Exists) return false;
        if (await _store.GetMessageAsync(OrgId, WebhookId, messageId) is not { } message) return false;
        if (State.Waiting.Any(w => w.MessageId == messageId)) return true;
        if (!State.Enabled) throw ProfileRules.Invalid("message_id", "cannot be resent while the webhook is disabled: enable it first");
        if (State.Waiting.Count >= Options.MaxPending)
            throw ProfileRules.Invalid("message_id", $"cannot be resent now: {Options.MaxPending} messages are already waiting");
        State.Recent.Remove(messageId);
        State.Waiting.Add(new WaitingMessage
        {
            MessageId = messageId, EventType = message.EventType, QueuedAt = _host.Now, NextAttemptAt = _host.Now,
            TraceParent = AlertsTelemetry.CurrentTraceParent(),
        });
        await _host.SaveAsync();
        await WakeUpAsync();
        return true;
    }

    /// <summary>
    /// After a message was stored: the reminder (so a restart resumes it) and the sending loop. The message is durable
    /// already, so a failing reminder table is logged, not thrown: the loop and its timer still run in this activation.
    /// </summary>
    private async Task WakeUpAsync()
    {
        try
        {
            await WakeUps.SyncReminderAsync();
        }
        catch (Exception exception)
        {
            LogReminderFailed(_host.Logger, exception, OrgId, WebhookId);
        }
        Kick();
    }

    /// <summary>Starts sending what is due, in the background of this activation.</summary>
    public void Kick()
    {
        if (!_pumping && State.Waiting.Any(w => !w.Held)) _ = PumpAsync();
    }

    /// <summary>Arms the wake-ups for what waits now.</summary>
    public Task ArmAsync() => WakeUps.ArmAsync(NextWake());

    /// <summary>Sends due messages one at a time (oldest due first) until none is due, then arms the wake-ups.</summary>
    public async Task PumpAsync()
    {
        if (_pumping) return;
        _pumping = true;
        var sent = 0;
        try
        {
            while (!_host.Stopping && State.Exists)
            {
                if (DueNow() is not { } due) break;
                if (sent++ > 0 && Options.Pace > TimeSpan.Zero) await Task.Delay(Options.Pace);
                if (_host.Stopping || !State.Waiting.Contains(due)) continue;
                await AttemptAsync(due);
            }
        }
        catch (Exception exception)
        {
            LogPumpFailed(_host.Logger, exception, OrgId, WebhookId);
        }
        finally
        {
            _pumping = false;
        }
        if (!_host.Stopping) await ArmAsync();
    }

    private Task OnTimerAsync()
    {
        if (_pumping) return Task.CompletedTask;
        return DueNow() is not null ? PumpAsync() : ArmAsync();
    }

    /// <summary>The message to send now: the oldest of those due (so a brought-forward backlog goes in order).</summary>
    private WaitingMessage? DueNow()
    {
        var now = _host.Now;
        return State.Waiting.Where(w => !w.Held && NextAttemptAt(w) <= now).OrderBy(w => w.QueuedAt).FirstOrDefault();
    }

    /// <summary>When the next attempt of any waiting message may be made; null when nothing is scheduled.</summary>
    private DateTimeOffset? NextWake() => State.Waiting.Any(w => !w.Held) ? State.Waiting.Where(w => !w.Held).Min(NextAttemptAt) : null;

    /// <summary>
    /// The subscription was enabled again (the caller saves and then kicks): messages held while it was disabled are due
    /// now, oldest first and paced like any backlog.
    /// </summary>
    public void ReleaseHeld(DateTimeOffset now)
    {
        foreach (var waiting in State.Waiting.Where(w => w.Held))
        {
            waiting.Held = false;
            waiting.NextAttemptAt = now;
        }
    }

    /// <summary>When a message may go: its own time, but not while the subscription pauses after a failure.</summary>
    private DateTimeOffset NextAttemptAt(WaitingMessage waiting) =>
        State.HoldUntil is { } hold && hold > waiting.NextAttemptAt ? hold : waiting.NextAttemptAt;

    private async Task AttemptAsync(WaitingMessage waiting)
    {
        _inFlight = waiting; // from here on an overflowing queue drops others, not this one
        try
        {
            await AttemptInFlightAsync(waiting);
        }
        finally
        {
            _inFlight = null;
        }
    }

    private async Task AttemptInFlightAsync(WaitingMessage waiting)
    {
        var message = await _store.GetMessageAsync(OrgId, WebhookId, waiting.MessageId);
        if (!State.Waiting.Contains(waiting)) return; // deleted meanwhile
        if (message is null)
        {
            LogMissing(_host.Logger, OrgId, WebhookId, waiting.MessageId);
            State.Waiting.Remove(waiting);
            await _host.SaveAsync();
            return;
        }
        var started = _host.Now;
        var timestamp = started.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign(State.Secret, message.MessageId, timestamp, message.Body);
        if (State.PreviousSecret is { } previous && State.PreviousSecretUntil > started)
            signature += " " + WebhookSignature.Sign(previous, message.MessageId, timestamp, message.Body);
        WebhookResponse response;
        // A span of the trace that queued the message; the HTTP call under it carries that trace to the receiver.
        using (var span = AlertsTelemetry.StartContinuing("alerts.webhook.attempt", waiting.TraceParent))
        {
            span?.SetTag("alerts.org", OrgId);
            span?.SetTag("alerts.webhook", WebhookId);
            span?.SetTag("alerts.message", message.MessageId);
            response = await _sender.SendAsync(new WebhookRequest(State.Url, message.MessageId, timestamp, signature, message.Body), CancellationToken.None);
            span?.SetTag("http.response.status_code", response.StatusCode);
            if (!response.Succeeded) span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
        }
        if (!State.Exists || !State.Waiting.Contains(waiting)) return; // deleted (or resent and finished) meanwhile

        var now = _host.Now;
        var attempts = waiting.Attempts + 1;
        var firstAttemptAt = waiting.FirstAttemptAt ?? started;
        var retryAfter = !response.Succeeded && response.StatusCode is 429 or 503 ? WebhookRetrySchedule.RetryAfter(response.RetryAfter, now) : null;
        DateTimeOffset? next = response.Succeeded ? null : WebhookRetrySchedule.Next(attempts, firstAttemptAt, now, retryAfter,
            Random.Shared.NextDouble(), Options.FirstRetryDelay, Options.MaxRetryDelay, Options.GiveUpAfter);
        var outcome = response.Succeeded ? DeliveryOutcome.Delivered : next is null ? DeliveryOutcome.Exhausted : DeliveryOutcome.Failed;
        // The log first: by the time the subscription's state tells of this attempt (delivered, disabled, health asked
        // after it), the attempt is in the log. A stop between the two logs an attempt whose retry then runs again.
        await LogAttemptAsync(new DeliveryAttempt(message.MessageId, message.EventType, attempts, started, outcome, response.StatusCode,
            (int)Math.Min(int.MaxValue, response.Duration.TotalMilliseconds), response.Succeeded ? null : ErrorText(response), response.Body, next));
        if (!State.Exists || !State.Waiting.Contains(waiting)) return; // deleted (or resent and finished) while logging

        waiting.Attempts = attempts;
        waiting.FirstAttemptAt = firstAttemptAt;
        State.LastAttemptAt = now;
        AlertsMetrics.WebhookAttempts.Add(1, new KeyValuePair<string, object?>("outcome", response.Succeeded ? "delivered" : "failed"));
        AlertsMetrics.WebhookLatency.Record(response.Duration.TotalSeconds);
        State.LastStatus = response.StatusCode;
        State.LastError = response.Succeeded ? null : ErrorText(response);
        var (breaker, notice) = WebhookBreaker.Attempted(State.Breaker, response.Succeeded, State.LastError, now);
        State.Apply(breaker);
        if (notice == BreakerNotice.Disabled) State.DroppedWhileDisabled = 0; // counted afresh for this outage

        if (response.Succeeded)
        {
            State.HoldUntil = null;
            Finish(waiting);
            BringForward(now);
        }
        else
        {
            if (next is { } at) waiting.NextAttemptAt = at;
            else Finish(waiting);
            // The whole subscription pauses: a Retry-After whole, otherwise this back-off up to PauseAfterFailure.
            var pause = retryAfter is { } asked
                ? (asked < Options.MaxRetryDelay ? asked : Options.MaxRetryDelay)
                : next is { } nextAt && nextAt - now < Options.PauseAfterFailure ? nextAt - now : Options.PauseAfterFailure;
            State.HoldUntil = now + pause;
        }
        _notices.Decide(notice, response.StatusCode, ErrorText(response), now);
        await _host.SaveAsync();
        if (notice == BreakerNotice.Disabled) AlertsMetrics.WebhooksDisabled.Add(1);
        if (notice == BreakerNotice.Disabled) LogDisabled(_host.Logger, OrgId, WebhookId, State.ConsecutiveFailures, State.LastError);
        await TrimLogAsync(now);
        _notices.Start();
    }

    /// <summary>
    /// At most once a day, after an attempt: attempts and bodies older than <see cref="DeliveryOptions.LogRetention"/>
    /// leave the table (bodies of messages still waiting stay). A subscription without traffic adds nothing to trim.
    /// </summary>
    private async Task TrimLogAsync(DateTimeOffset now)
    {
        if (State.TrimmedAt is { } last && now - last < TimeSpan.FromDays(1)) return;
        try
        {
            var keep = State.Waiting.Select(w => w.MessageId).ToHashSet(StringComparer.Ordinal);
            await _store.TrimAsync(OrgId, WebhookId, now - Options.LogRetention, keep);
            State.TrimmedAt = now;
            await _host.SaveAsync();
        }
        catch (Exception exception)
        {
            LogLogFailed(_host.Logger, exception, OrgId, WebhookId, "(trim)");
        }
    }

    private void Finish(WaitingMessage waiting)
    {
        State.Waiting.Remove(waiting);
        State.Recent.Add(waiting.MessageId);
        if (State.Recent.Count > WebhookSubscriptionState.RecentLimit) State.Recent.RemoveRange(0, State.Recent.Count - WebhookSubscriptionState.RecentLimit);
    }

    /// <summary>
    /// The receiver answered 2xx: messages waiting out a back-off are due now, and go one by one, oldest first, paced
    /// (<see cref="DeliveryOptions.Pace"/>), instead of each waiting out a gap of up to a day after the receiver is healthy.
    /// </summary>
    private void BringForward(DateTimeOffset now)
    {
        foreach (var waiting in State.Waiting)
        {
            if (waiting.NextAttemptAt > now) waiting.NextAttemptAt = now;
        }
    }

    private static string ErrorText(WebhookResponse response) =>
        response.Error ?? (response.StatusCode is { } status ? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}") : "no reply");

    private async Task LogAttemptAsync(DeliveryAttempt attempt)
    {
        if (_host.Removed) return;
        try
        {
            await _store.AddAttemptAsync(OrgId, WebhookId, attempt);
        }
        catch (Exception exception)
        {
            LogLogFailed(_host.Logger, exception, OrgId, WebhookId, attempt.MessageId);
        }
    }

    [LoggerMessage(2201, LogLevel.Warning, "Webhook {OrgId}/{WebhookId} disabled after {Failures} failures in a row: {Error}")]
    private static partial void LogDisabled(ILogger logger, string orgId, string webhookId, int failures, string? error);

    [LoggerMessage(2202, LogLevel.Error, "Webhook {OrgId}/{WebhookId}: message {MessageId} dropped because more than {MaxPending} were waiting")]
    private static partial void LogDropped(ILogger logger, string orgId, string webhookId, string messageId, int maxPending);

    [LoggerMessage(2203, LogLevel.Warning, "Webhook {OrgId}/{WebhookId}: sending stopped by a failure; the wake-up reminder resumes it")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception, string orgId, string webhookId);

    [LoggerMessage(2204, LogLevel.Error, "Webhook {OrgId}/{WebhookId}: message {MessageId} is not in the store; it is dropped")]
    private static partial void LogMissing(ILogger logger, string orgId, string webhookId, string messageId);

    [LoggerMessage(2205, LogLevel.Warning, "Webhook {OrgId}/{WebhookId}: logging an attempt of {MessageId} failed")]
    private static partial void LogLogFailed(ILogger logger, Exception exception, string orgId, string webhookId, string messageId);

    [LoggerMessage(2207, LogLevel.Warning, "Webhook {OrgId}/{WebhookId}: registering its wake-up reminder failed; the message is stored and sent by this activation")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string orgId, string webhookId);
}
