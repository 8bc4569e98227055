using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.Notify;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Grains.Webhooks;

/// <summary>
/// One webhook subscription (key <c>{org}/{id}</c>, SPEC §6): its settings and secret, the consecutive-failure breaker,
/// and its own delivery queue. Messages are sent one at a time, each attempt signed afresh, logged in
/// <see cref="IWebhookStore"/>, and its outcome written to the state before the next; a failed one waits its back-off
/// (kept in the state: a timer for short waits, the wake-up reminder for the rest and after restarts). Reentrant, so
/// publishing and reading never wait behind a slow receiver; state writes go one at a time.
/// </summary>
[Reentrant]
public sealed partial class WebhookSubscriptionGrain(
    [PersistentState("webhook", StorageNames.Grains)] IPersistentState<WebhookSubscriptionState> state,
    [FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    IWebhookSender sender,
    IWebhookStore store,
    IOptions<DeliveryOptions> options,
    ILogger<WebhookSubscriptionGrain> logger)
    : Grain, IWebhookSubscriptionGrain, IWebhookDelivery, IRemindable
{
    private const string WakeUpReminder = "webhook-wake-up";

    /// <summary>How long a rotated-out secret still signs beside the new one.</summary>
    public static readonly TimeSpan SecretOverlap = TimeSpan.FromHours(24);

    private WebhookSubscriptionState State => state.State;
    private DateTimeOffset Now => clock.GetUtcNow();
    private DeliveryOptions Options => options.Value;
    private (string OrgId, string WebhookId) Key => GrainKeys.Split(this.GetPrimaryKeyString());
    private string OrgId => Key.OrgId;
    private string WebhookId => Key.WebhookId;

    private readonly OneAtATime _writes = new();
    private readonly OneAtATime _reminderChanges = new();
    private bool _pumping;
    private bool _handingOver;
    private bool _stopping;
    private IGrainTimer? _timer;
    private WaitingMessage? _inFlight;
    private bool _removed;
    /// <summary>Whether the wake-up reminder is registered, as far as this activation knows (null: not asked yet).</summary>
    private bool? _reminderRegistered;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!State.Exists) return;
        if (State.Waiting.Count > 0 || State.Notices.Count > 0) await ArmAsync();
        if (State.Notices.Count > 0) _ = HandOverNoticesAsync();
        Kick();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _stopping = true;
        return Task.CompletedTask;
    }

    // ---- settings -------------------------------------------------------------------------------------------------

    public Task<WebhookView?> GetAsync() => Task.FromResult(State.Exists ? State.ToView(WebhookId) : null);

    public async Task<WebhookWithSecret> CreateAsync(WebhookSetup setup)
    {
        if (State.Exists) throw new InvalidOperationException($"webhook {WebhookId} exists already");
        _removed = _stopping = false; // the same id again (the §5 URL removed, then set again)
        var now = Now;
        State.Exists = true;
        State.Platform = setup.Platform;
        State.Url = setup.Spec.Url;
        State.Events = setup.Spec.Events.ToList();
        State.Product = setup.Spec.Product;
        State.OwnerUserId = setup.Spec.OwnerUserId;
        State.Secret = WebhookSignature.NewSecret();
        State.Apply(BreakerState.Fresh);
        State.CreatedAt = State.UpdatedAt = now;
        await SaveAsync();
        return new WebhookWithSecret(State.ToView(WebhookId), State.Secret);
    }

    public async Task ConfigurePlatformAsync(string url, IReadOnlyList<string> events)
    {
        if (!State.Exists) return;
        if (!string.Equals(State.Url, url, StringComparison.Ordinal))
        {
            State.Url = url;
            Reenable();
        }
        State.Events = events.ToList();
        State.UpdatedAt = Now;
        await SaveAsync();
    }

    public async Task<WebhookView?> UpdateAsync(WebhookPatch patch)
    {
        if (!State.Exists) return null;
        if (State.Platform && (patch.Url is not null || patch.Events is not null))
            throw ProfileRules.Invalid(patch.Url is not null ? "url" : "events",
                "of this subscription are the organization's notification-settings (webhook_url, send_webhook): change them there");
        if (patch.Url is not null)
        {
            ProfileRules.ThrowIfInvalid(WebhookRules.CheckUrl(patch.Url));
            if (await sender.CheckUrlAsync(patch.Url, CancellationToken.None) is { } refused) throw ProfileRules.Invalid("url", refused);
        }
        if (patch.Events is not null) ProfileRules.ThrowIfInvalid(WebhookRules.CheckEvents(patch.Events));
        if (patch.Product is { Length: > WebhookRules.MaxProductLength })
            throw ProfileRules.Invalid("product", $"must be at most {WebhookRules.MaxProductLength} characters");
        if (patch.OwnerUserId is not null && await GrainFactory.GetOrganization(OrgId).GetUserAsync(patch.OwnerUserId) is null)
            throw ProfileRules.Invalid("owner_user_id", "is not a user of the organization");

        // SPEC §6.5: any change of URL enables it again with its streak at 0, in the same write.
        if (patch.Url is not null && !string.Equals(patch.Url, State.Url, StringComparison.Ordinal))
        {
            State.Url = patch.Url;
            Reenable();
        }
        if (patch.Events is not null) State.Events = patch.Events.ToList();
        if (patch.Product is not null) State.Product = patch.Product;
        if (patch.OwnerUserId is not null) State.OwnerUserId = patch.OwnerUserId;
        State.UpdatedAt = Now;
        await SaveAsync();
        if (patch.Events is not null) await GrainFactory.GetGrain<IWebhookRegistryInternals>(OrgId).EventsChangedAsync(WebhookId, State.Events);
        return State.ToView(WebhookId);
    }

    public async Task<WebhookView?> EnableAsync()
    {
        if (!State.Exists) return null;
        Reenable();
        State.UpdatedAt = Now;
        await SaveAsync();
        Kick();
        return State.ToView(WebhookId);
    }

    /// <summary>SPEC §6.5: enabled with the streak at 0 in one step; a pause after the last failure is lifted too.</summary>
    private void Reenable()
    {
        State.Apply(WebhookBreaker.Enable(State.Breaker));
        State.HoldUntil = null;
    }

    public async Task<WebhookWithSecret?> RotateSecretAsync()
    {
        if (!State.Exists) return null;
        State.PreviousSecret = State.Secret;
        State.PreviousSecretUntil = Now + SecretOverlap;
        State.Secret = WebhookSignature.NewSecret();
        State.UpdatedAt = Now;
        await SaveAsync();
        return new WebhookWithSecret(State.ToView(WebhookId), State.Secret);
    }

    public async Task RemoveAsync()
    {
        if (!State.Exists) return;
        _stopping = true;
        _removed = true;
        await _writes.RunAsync(() => state.ClearStateAsync());
        state.State = new WebhookSubscriptionState();
        _timer?.Dispose();
        _timer = null;
        await SyncReminderAsync();
        await store.DeleteAllAsync(OrgId, WebhookId);
        DeactivateOnIdle();
    }

    // ---- deliveries ----------------------------------------------------------------------------------------------

    public async Task<bool> EnqueueAsync(StoredMessage message)
    {
        if (!State.Exists || !State.Enabled || !State.Events.Contains(message.EventType, StringComparer.Ordinal)) return false;
        if (State.Recent.Contains(message.MessageId, StringComparer.Ordinal)) return true;
        if (State.Waiting.Any(w => w.MessageId == message.MessageId))
        {
            // Taken before (a publisher retrying after a failure of ours): make sure it is on its way.
            await WakeUpsAsync();
            return true;
        }
        await store.SaveMessageAsync(OrgId, WebhookId, message);
        if (State.Waiting.Any(w => w.MessageId == message.MessageId)) return true; // the same message, enqueued meanwhile
        var now = Now;
        State.Waiting.Add(new WaitingMessage { MessageId = message.MessageId, EventType = message.EventType, QueuedAt = now, NextAttemptAt = now });
        var dropped = new List<WaitingMessage>();
        while (State.Waiting.Count > Options.MaxPending)
        {
            // The oldest waiting, but not the one being sent right now.
            var oldest = State.Waiting.First(w => !ReferenceEquals(w, _inFlight));
            dropped.Add(oldest);
            State.Waiting.Remove(oldest);
        }
        await SaveAsync();
        foreach (var gone in dropped)
        {
            LogDropped(logger, OrgId, WebhookId, gone.MessageId, Options.MaxPending);
            await LogAttemptAsync(new DeliveryAttempt(gone.MessageId, gone.EventType, gone.Attempts, now, DeliveryOutcome.Dropped, null, 0,
                $"dropped: more than {Options.MaxPending} messages were waiting", null, null));
        }
        await WakeUpsAsync();
        return true;
    }

    /// <summary>
    /// After a message was stored: the reminder (so a restart resumes it) and the sending loop. The message is durable
    /// already, so a failing reminder table is logged, not thrown: the loop and its timer still run in this activation.
    /// </summary>
    private async Task WakeUpsAsync()
    {
        try
        {
            await SyncReminderAsync();
        }
        catch (Exception exception)
        {
            LogReminderFailed(logger, exception, OrgId, WebhookId);
        }
        Kick();
    }

    public async Task<bool> ResendAsync(string messageId)
    {
        if (!State.Exists) return false;
        if (await store.GetMessageAsync(OrgId, WebhookId, messageId) is not { } message) return false;
        if (State.Waiting.Any(w => w.MessageId == messageId)) return true;
        if (!State.Enabled) throw ProfileRules.Invalid("message_id", "cannot be resent while the webhook is disabled: enable it first");
        if (State.Waiting.Count >= Options.MaxPending)
            throw ProfileRules.Invalid("message_id", $"cannot be resent now: {Options.MaxPending} messages are already waiting");
        State.Recent.Remove(messageId);
        State.Waiting.Add(new WaitingMessage { MessageId = messageId, EventType = message.EventType, QueuedAt = Now, NextAttemptAt = Now });
        await SaveAsync();
        await WakeUpsAsync();
        return true;
    }

    public async Task<DeliveryPage?> DeliveriesAsync(int limit, string? cursor)
    {
        if (!State.Exists) return null;
        return await store.ListAttemptsAsync(OrgId, WebhookId, Math.Clamp(limit, 1, 200), cursor);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WakeUpReminder) return;
        if (!State.Exists)
        {
            await SyncReminderAsync();
            return;
        }
        if (State.Notices.Count > 0) _ = HandOverNoticesAsync();
        await PumpAsync();
    }

    /// <summary>Starts sending what is due, in the background of this activation.</summary>
    private void Kick()
    {
        if (!_pumping && State.Waiting.Count > 0) _ = PumpAsync();
    }

    /// <summary>Sends due messages one at a time (oldest due first) until none is due, then arms the wake-ups.</summary>
    private async Task PumpAsync()
    {
        if (_pumping) return;
        _pumping = true;
        var sent = 0;
        try
        {
            while (!_stopping && State.Exists)
            {
                if (DueNow() is not { } due) break;
                if (sent++ > 0 && Options.Pace > TimeSpan.Zero) await Task.Delay(Options.Pace);
                if (_stopping || !State.Waiting.Contains(due)) continue;
                await AttemptAsync(due);
            }
        }
        catch (Exception exception)
        {
            LogPumpFailed(logger, exception, OrgId, WebhookId);
        }
        finally
        {
            _pumping = false;
        }
        if (!_stopping) await ArmAsync();
    }

    /// <summary>The message to send now: the oldest of those due (so a brought-forward backlog goes in order).</summary>
    private WaitingMessage? DueNow()
    {
        var now = Now;
        return State.Waiting.Where(w => NextAttemptAt(w) <= now).OrderBy(w => w.QueuedAt).FirstOrDefault();
    }

    /// <summary>When the next attempt of any waiting message may be made; null when nothing waits.</summary>
    private DateTimeOffset? NextWake() => State.Waiting.Count == 0 ? null : State.Waiting.Min(NextAttemptAt);

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
        var message = await store.GetMessageAsync(OrgId, WebhookId, waiting.MessageId);
        if (!State.Waiting.Contains(waiting)) return; // deleted meanwhile
        if (message is null)
        {
            LogMissing(logger, OrgId, WebhookId, waiting.MessageId);
            State.Waiting.Remove(waiting);
            await SaveAsync();
            return;
        }
        var started = Now;
        var timestamp = started.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign(State.Secret, message.MessageId, timestamp, message.Body);
        if (State.PreviousSecret is { } previous && State.PreviousSecretUntil > started)
            signature += " " + WebhookSignature.Sign(previous, message.MessageId, timestamp, message.Body);
        var response = await sender.SendAsync(new WebhookRequest(State.Url, message.MessageId, timestamp, signature, message.Body), CancellationToken.None);
        if (!State.Exists || !State.Waiting.Contains(waiting)) return; // deleted (or resent and finished) meanwhile

        var now = Now;
        waiting.Attempts++;
        waiting.FirstAttemptAt ??= started;
        State.LastAttemptAt = now;
        State.LastStatus = response.StatusCode;
        State.LastError = response.Succeeded ? null : ErrorText(response);
        var (breaker, notice) = WebhookBreaker.Attempted(State.Breaker, response.Succeeded, State.LastError, now);
        State.Apply(breaker);

        DeliveryOutcome outcome;
        DateTimeOffset? next = null;
        if (response.Succeeded)
        {
            outcome = DeliveryOutcome.Delivered;
            State.HoldUntil = null;
            Finish(waiting);
            BringForward(now);
        }
        else
        {
            var retryAfter = response.StatusCode is 429 or 503 ? WebhookRetrySchedule.RetryAfter(response.RetryAfter, now) : null;
            next = WebhookRetrySchedule.Next(waiting.Attempts, waiting.FirstAttemptAt.Value, now, retryAfter, Random.Shared.NextDouble(),
                Options.FirstRetryDelay, Options.MaxRetryDelay, Options.GiveUpAfter);
            if (next is { } at)
            {
                outcome = DeliveryOutcome.Failed;
                waiting.NextAttemptAt = at;
            }
            else
            {
                outcome = DeliveryOutcome.Exhausted;
                Finish(waiting);
            }
            // The whole subscription pauses: a Retry-After whole, otherwise this back-off up to PauseAfterFailure.
            var pause = retryAfter is { } asked
                ? (asked < Options.MaxRetryDelay ? asked : Options.MaxRetryDelay)
                : next is { } nextAt && nextAt - now < Options.PauseAfterFailure ? nextAt - now : Options.PauseAfterFailure;
            State.HoldUntil = now + pause;
        }
        if (notice != BreakerNotice.None)
        {
            var kind = notice switch
            {
                BreakerNotice.Warning => NotificationKind.WebhookFailing,
                BreakerNotice.Disabled => NotificationKind.WebhookDisabled,
                _ => NotificationKind.WebhookRecovered,
            };
            State.NoticesDecided++;
            State.Notices.Add(new OwnerNotice(
                string.Create(CultureInfo.InvariantCulture, $"webhook-{WebhookId}-{State.NoticesDecided}"),
                kind, State.Url, State.ConsecutiveFailures, response.StatusCode, ErrorText(response), now));
        }
        await SaveAsync();
        await LogAttemptAsync(new DeliveryAttempt(message.MessageId, message.EventType, waiting.Attempts, started, outcome, response.StatusCode,
            (int)Math.Min(int.MaxValue, response.Duration.TotalMilliseconds), response.Succeeded ? null : ErrorText(response), response.Body, next));
        if (notice == BreakerNotice.Disabled) LogDisabled(logger, OrgId, WebhookId, State.ConsecutiveFailures, State.LastError);
        await TrimLogAsync(now);
        if (State.Notices.Count > 0) _ = HandOverNoticesAsync();
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
            await store.TrimAsync(OrgId, WebhookId, now - Options.LogRetention, keep);
            State.TrimmedAt = now;
            await SaveAsync();
        }
        catch (Exception exception)
        {
            LogLogFailed(logger, exception, OrgId, WebhookId, "(trim)");
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
        if (_removed) return;
        try
        {
            await store.AddAttemptAsync(OrgId, WebhookId, attempt);
        }
        catch (Exception exception)
        {
            LogLogFailed(logger, exception, OrgId, WebhookId, attempt.MessageId);
        }
    }

    // ---- wake-ups --------------------------------------------------------------------------------------------------

    /// <summary>
    /// The reminder while anything waits (so a restart resumes it); a timer while the next attempt is sooner than the
    /// reminder's next tick.
    /// </summary>
    private async Task ArmAsync()
    {
        await SyncReminderAsync();
        var next = NextWake();
        var soon = next is { } at && at - Now < Options.WakeUpPeriod;
        if (soon && _timer is null)
        {
            _timer = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions
            {
                DueTime = Options.TimerResolution,
                Period = Options.TimerResolution,
                Interleave = true,
            });
        }
        else if (!soon && _timer is not null)
        {
            _timer.Dispose();
            _timer = null;
        }
    }

    private Task OnTimerAsync(CancellationToken cancellationToken)
    {
        if (_pumping) return Task.CompletedTask;
        return DueNow() is not null ? PumpAsync() : ArmAsync();
    }

    /// <summary>The reminder is wanted while anything waits; the table is touched only when that changes.</summary>
    private Task SyncReminderAsync() => _reminderChanges.RunAsync(async () =>
    {
        var wanted = State.Exists && (State.Waiting.Count > 0 || State.Notices.Count > 0);
        if (_reminderRegistered == wanted) return;
        if (wanted)
        {
            await this.RegisterOrUpdateReminder(WakeUpReminder, Options.WakeUpPeriod, Options.WakeUpPeriod);
        }
        else if (await this.GetReminder(WakeUpReminder) is { } existing)
        {
            await this.UnregisterReminder(existing);
        }
        _reminderRegistered = wanted;
    });

    // ---- notices to the owner -----------------------------------------------------------------------------------------

    /// <summary>
    /// Hands decided notices to the organization's outbox (e-mail) and the owner's in-app feed, then forgets them. Both
    /// ignore an id they know, so a crash in between hands the same notice over again, once.
    /// </summary>
    private async Task HandOverNoticesAsync()
    {
        if (_handingOver) return;
        _handingOver = true;
        try
        {
            while (State.Notices.Count > 0 && State.Exists)
            {
                var decided = State.Notices[0];
                var org = await GrainFactory.GetOrganization(OrgId).GetAsync();
                if (org is null) return;
                var owner = State.OwnerUserId is { } ownerId ? await GrainFactory.GetOrganization(OrgId).GetUserAsync(ownerId) : null;
                var page = $"{Options.AdminUiUrl.TrimEnd('/')}/orgs/{Uri.EscapeDataString(OrgId)}/webhooks/{Uri.EscapeDataString(WebhookId)}";
                var notice = new WebhookNotice(OrgId, org.Profile.Name, org.Profile.Environment, org.Profile.Production, decided.Kind, WebhookId,
                    decided.Url, decided.ConsecutiveFailures, decided.LastStatus, decided.LastError, decided.At, page);

                // The owner; with none (the §5 URL, or an owner since deleted), the primary contact and the admins.
                List<string> emails;
                List<string> feeds;
                if (owner is not null)
                {
                    emails = [owner.Profile.Email];
                    feeds = [owner.UserId];
                }
                else
                {
                    var admins = (await GrainFactory.GetOrganization(OrgId).ListUsersAsync()).Where(u => u.Profile.Role == UserRole.Admin).ToList();
                    emails = admins.Select(a => a.Profile.Email).Prepend(org.Profile.PrimaryContact).OfType<string>()
                        .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
                    feeds = admins.Select(a => a.UserId).ToList();
                }
                var content = EmailTemplates.Webhook(notice);
                await GrainFactory.GetGrain<IOutboxGrain>(OrgId).EnqueueAsync(
                    new OutboxEntry { Id = decided.Id, Payload = notice, Subject = content.Subject, CreatedAt = decided.At }, emails);
                var (title, summary) = EmailTemplates.WebhookSummary(notice);
                foreach (var user in feeds)
                {
                    await GrainFactory.GetGrain<IUserInbox>(GrainKeys.Integration(OrgId, user)).AddAsync(
                        new InboxItem(decided.Id, decided.Kind.Wire(), title, summary, page, decided.At, null, About: "webhook:" + WebhookId));
                }
                State.Notices.Remove(decided);
                await SaveAsync();
            }
            await SyncReminderAsync();
        }
        catch (Exception exception)
        {
            LogNoticeFailed(logger, exception, OrgId, WebhookId);
        }
        finally
        {
            _handingOver = false;
        }
    }

    private Task SaveAsync() => _writes.RunAsync(async () =>
    {
        if (_removed) return;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            Log.WriteFailed(logger, exception, $"webhook/{OrgId}/{WebhookId}");
            DeactivateOnIdle();
            throw;
        }
    });

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

    [LoggerMessage(2206, LogLevel.Warning, "Webhook {OrgId}/{WebhookId}: handing a notice to its owner failed; it is tried again at the next wake-up")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception, string orgId, string webhookId);
}
