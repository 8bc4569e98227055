using Alerts.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Alerts.Grains.Stores;

namespace Alerts.Grains.Notify;

/// <summary>
/// An organization's pending notifications. Each is sent in passes by the silo's delivery worker: a pass is leased,
/// every message is claimed right before it goes (renewing the lease) and its result recorded at once, so a pass cut
/// short — a shutdown, a crash, a lost lease — leaves every sent message recorded but the one in flight. Recipients
/// and their results live in the notification log (<see cref="INotificationHistory"/>); this grain's state holds only
/// pending entries, at most <see cref="OutboxOptions.MaxPending"/>. Placed at random, not beside its caller: delivery
/// (done by the worker of the silo the outbox lives on) spreads over the cluster whichever silos organizations live on.
/// </summary>
[Reentrant]
[Orleans.Placement.RandomPlacement]
public sealed partial class OutboxGrain(
    [PersistentState("outbox", StorageNames.Grains)] IPersistentState<OutboxState> state,
    [FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    INotificationHistory history,
    IOutboxDispatcher dispatcher,
    IOptions<OutboxOptions> options,
    IClusterMembershipService membership,
    ILogger<OutboxGrain> logger)
    : Grain, IOutboxGrain, IRemindable
{
    private const string WakeUpReminder = "outbox";

    private OutboxState State => state.State;
    private string OrgId => this.GetPrimaryKeyString();
    private DateTimeOffset Now => clock.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Pending.Count == 0) return;
        await EnsureWakeUpAsync();
        DispatchPending();
    }

    /// <summary>Enqueues under way: the same id enqueued again meanwhile waits for the first instead of adding it twice.</summary>
    private readonly Dictionary<string, Task> _enqueueing = new(StringComparer.Ordinal);

    public Task EnqueueAsync(OutboxEntry entry, IReadOnlyList<string> recipients)
    {
        if (_enqueueing.TryGetValue(entry.Id, out var running)) return running;
        if (OutboxRules.IsKnown(State, entry.Id)) return Task.CompletedTask;
        var enqueue = EnqueueNewAsync(entry, recipients);
        if (enqueue.IsCompleted) return enqueue;
        _enqueueing[entry.Id] = enqueue;
        return ForgetWhenDoneAsync(entry.Id, enqueue);
    }

    private async Task ForgetWhenDoneAsync(string entryId, Task enqueue)
    {
        try
        {
            await enqueue;
        }
        finally
        {
            _enqueueing.Remove(entryId);
        }
    }

    private async Task EnqueueNewAsync(OutboxEntry entry, IReadOnlyList<string> recipients)
    {
        var now = Now;
        entry.RecipientCount = recipients.Count;
        AlertsMetrics.NotificationsQueued.Add(1, new KeyValuePair<string, object?>("kind", entry.Payload.Kind.Wire()));
        await history.SaveRecipientsAsync(OrgId, entry.Id, recipients
            .Select(address => new RecipientView(address, NotificationStatus.Pending, 0, null, null, now)).ToList());
        if (recipients.Count == 0)
        {
            await history.SaveAsync(OrgId, entry.ToView(NotificationStatus.NoRecipients, recipients, 0, null));
            AlertsMetrics.NotificationsFinished.Add(1, new KeyValuePair<string, object?>("status", NotificationStatus.NoRecipients.Wire()));
            OutboxRules.Forget(State, entry);
            await SaveAsync();
            return;
        }
        await history.SaveAsync(OrgId, entry.ToView(NotificationStatus.Pending, recipients, 0, null));
        foreach (var pushedOut in OutboxRules.Add(State, entry, options.Value.MaxPending))
        {
            pushedOut.LastError = $"given up: more than {options.Value.MaxPending} notifications were pending; last error: {pushedOut.LastError}";
            LogPushedOut(logger, OrgId, pushedOut.Id, options.Value.MaxPending);
            await FinishAsync(pushedOut, NotificationStatus.Failed);
        }
        await SaveAsync();
        await EnsureWakeUpAsync();
        if (!entry.Held) dispatcher.Dispatch(Delivery(entry, now));
    }

    public async Task ReleaseAsync(string entryId)
    {
        if (Find(entryId) is not { Held: true } entry) return;
        entry.Held = false;
        await SaveAsync();
        dispatcher.Dispatch(Delivery(entry, Now));
    }

    public async Task<OutboxPass?> BeginPassAsync(string entryId, string worker)
    {
        if (Find(entryId) is not { Held: false } entry) return null;
        var passId = Guid.NewGuid().ToString("N");
        if (!OutboxRules.TryLease(entry, worker, passId, Now, options.Value.PassLease, IsAliveSilo)) return null;
        await SaveAsync();
        var pending = (await history.RecipientsAsync(OrgId, entryId))
            .Where(recipient => recipient.Status == NotificationStatus.Pending)
            .Select(recipient => recipient.Address)
            .ToList();
        return new OutboxPass(OrgId, entryId, passId, entry.Payload, pending, entry.Personal, entry.TraceParent);
    }

    public Task<NotificationPayload?> PersonalPayloadAsync(string entryId, string address) =>
        history.PersonalAsync(OrgId, entryId, address);

    public async Task<bool> RenewAsync(string entryId, string passId)
    {
        if (Find(entryId) is not { } entry || !OutboxRules.Holds(entry, passId)) return false;
        await RenewLeaseAsync(entry);
        return OutboxRules.Holds(entry, passId);
    }

    public async Task<ClaimResult> ClaimAsync(string entryId, string passId, string address)
    {
        if (Find(entryId) is not { } entry || !OutboxRules.Holds(entry, passId)) return ClaimResult.LeaseLost;
        await RenewLeaseAsync(entry);
        if (!OutboxRules.Holds(entry, passId)) return ClaimResult.LeaseLost;
        if (entry.CancelReason is not null) return ClaimResult.Skip;
        var recipient = await history.RecipientAsync(OrgId, entryId, address);
        return recipient?.Status == NotificationStatus.Pending ? ClaimResult.Send : ClaimResult.Skip;
    }

    public async Task<bool> RecordAsync(string entryId, string passId, RecipientResult result)
    {
        if (Find(entryId) is not { } entry || !OutboxRules.Holds(entry, passId)) return false;
        var recipient = await history.RecipientAsync(OrgId, entryId, result.Address)
                        ?? new RecipientView(result.Address, NotificationStatus.Pending, 0, null, null, null);
        await history.SaveRecipientsAsync(OrgId, entryId, [OutboxRules.Apply(recipient, result, Now)]);
        if (result.Outcome != RecipientOutcome.Delivered) entry.LastError = $"{result.Address}: {result.Reply}";
        return true;
    }

    public async Task<OutboxDelivery?> EndPassAsync(string entryId, string passId, bool interrupted)
    {
        if (Find(entryId) is not { } entry || !OutboxRules.Holds(entry, passId)) return null;
        var recipients = await history.RecipientsAsync(OrgId, entryId);
        var counts = OutboxRules.Count(recipients);
        var outcome = OutboxRules.EndPass(entry, counts, interrupted, Now);
        if (outcome.FinishedAs is { } status)
        {
            await FinishAsync(entry, status, recipients);
            return null;
        }
        await history.SaveAsync(OrgId, entry.ToView(NotificationStatus.Pending, recipients.Select(r => r.Address), counts.Sent, null));
        await SaveAsync();
        return Delivery(entry, outcome.NextAt!.Value);
    }

    public async Task CancelAsync(NotificationKind kind, Direction? direction, string reason)
    {
        foreach (var entry in State.Pending.Where(e => e.Payload.Kind == kind && e.Payload.Direction == direction && e.CancelReason is null).ToList())
        {
            entry.CancelReason = reason;
            // A pass in progress stops at its next claim and finishes the entry; otherwise it is finished now.
            if (entry.Lease is null) await FinishAsync(entry, NotificationStatus.Cancelled);
        }
        await SaveAsync();
    }

    public async Task DropRecipientAsync(string audience, string address, string reason)
    {
        foreach (var entry in State.Pending.Where(e => e.Payload.Audience == audience).ToList())
        {
            var recipient = await history.RecipientAsync(OrgId, entry.Id, address);
            if (recipient?.Status != NotificationStatus.Pending) continue;
            await history.SaveRecipientsAsync(OrgId, entry.Id, [recipient with { Status = NotificationStatus.Dropped, Reply = reason, UpdatedAt = Now }]);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WakeUpReminder) return;
        if (State.Pending.Count > 0) DispatchPending();
        else await RemoveWakeUpAsync();
    }

    /// <summary>
    /// Writes the entry's final row (and its recipients still pending, as failed or cancelled) and takes it out of the
    /// outbox. Every finished notification stays in the log.
    /// </summary>
    private async Task FinishAsync(OutboxEntry entry, NotificationStatus status, IReadOnlyList<RecipientView>? recipients = null)
    {
        entry.Lease = null;
        recipients ??= await history.RecipientsAsync(OrgId, entry.Id);
        var now = Now;
        var left = recipients.Where(r => r.Status == NotificationStatus.Pending)
            .Select(r => r with
            {
                Status = status == NotificationStatus.Cancelled ? NotificationStatus.Cancelled : NotificationStatus.Failed,
                Reply = status == NotificationStatus.Cancelled ? entry.CancelReason : r.Reply ?? entry.LastError,
                UpdatedAt = now,
            })
            .ToList();
        if (left.Count > 0) await history.SaveRecipientsAsync(OrgId, entry.Id, left);
        var sent = recipients.Where(r => r.Status == NotificationStatus.Sent).ToList();
        await history.SaveAsync(OrgId, entry.ToView(status, recipients.Select(r => r.Address), sent.Count, sent.Count > 0 ? sent.Max(r => r.SentAt) : null));
        OutboxRules.Forget(State, entry);
        LogFinished(logger, OrgId, entry.Id, status.Wire(), sent.Count, recipients.Count);
        AlertsMetrics.NotificationsFinished.Add(1, new KeyValuePair<string, object?>("status", status.Wire()));
        await SaveAsync();
        // What each recipient was told is not kept once everyone has a result (the log keeps who got what, and when).
        if (entry.Personal) await DeletePersonalAsync(entry.Id);
        if (State.Pending.Count == 0) await RemoveWakeUpAsync();
    }

    /// <summary>A lease is written when renewed, at most every third of its length: a pass renewing often costs few writes.</summary>
    private async Task RenewLeaseAsync(OutboxEntry entry)
    {
        var now = Now;
        if (entry.Lease is not { } lease || now - lease.RenewedAt < options.Value.PassLease / 3) return;
        lease.RenewedAt = now;
        await SaveAsync();
    }

    private async Task DeletePersonalAsync(string entryId)
    {
        try
        {
            await history.DeletePersonalAsync(OrgId, entryId);
        }
        catch (Exception exception)
        {
            // Left behind, the rows are only storage: nothing reads them once the notification is finished.
            Log.WriteFailed(logger, exception, $"outbox/{OrgId}/{entryId}/personal");
        }
    }

    private OutboxEntry? Find(string entryId) => State.Pending.Find(entry => entry.Id == entryId);

    private OutboxDelivery Delivery(OutboxEntry entry, DateTimeOffset notBefore) =>
        new(OrgId, entry.Id, notBefore, entry.Payload.Kind, entry.CreatedAt);

    /// <summary>Workers are named by their silo's address: a lease is held only while that silo is in the cluster.</summary>
    private bool IsAliveSilo(string worker) =>
        !SiloAddress.TryParse(worker, out var silo)
        || membership.CurrentSnapshot.GetSiloStatus(silo) is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown or SiloStatus.Stopping;

    private void DispatchPending()
    {
        foreach (var entry in State.Pending.Where(e => !e.Held))
            dispatcher.Dispatch(Delivery(entry, entry.NextAttemptAt ?? entry.CreatedAt));
    }

    /// <summary>One reminder change at a time, decided on the state as it is then (no check-then-remove race with an enqueue).</summary>
    private readonly OneAtATime _reminderChanges = new();

    /// <summary>This activation registered the wake-up reminder and has not removed it: enqueueing needs no reminder write.</summary>
    private bool _wakeUpRegistered;

    private Task EnsureWakeUpAsync() => _reminderChanges.RunAsync(async () =>
    {
        if (State.Pending.Count == 0 || _wakeUpRegistered) return;
        await this.RegisterOrUpdateReminder(WakeUpReminder, options.Value.WakeUpPeriod, options.Value.WakeUpPeriod);
        _wakeUpRegistered = true;
    });

    private Task RemoveWakeUpAsync() => _reminderChanges.RunAsync(async () =>
    {
        if (State.Pending.Count > 0) return;
        _wakeUpRegistered = false;
        var existing = await this.GetReminder(WakeUpReminder);
        if (existing is not null && State.Pending.Count == 0) await this.UnregisterReminder(existing);
    });

    private async Task SaveAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            Log.WriteFailed(logger, exception, $"outbox/{OrgId}");
            this.DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(2101, LogLevel.Information, "Outbox {OrgId}: notification {EntryId} finished as {Status} ({Sent} of {Recipients} recipients sent)")]
    private static partial void LogFinished(ILogger logger, string orgId, string entryId, string status, int sent, int recipients);

    [LoggerMessage(2102, LogLevel.Error, "Outbox {OrgId}: notification {EntryId} given up because more than {MaxPending} were pending; is the relay down?")]
    private static partial void LogPushedOut(ILogger logger, string orgId, string entryId, int maxPending);
}
