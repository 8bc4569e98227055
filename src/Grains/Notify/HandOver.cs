using Alerts.Contracts;
using Alerts.Grains.Organization;
using Alerts.Grains.Projection;

namespace Alerts.Grains.Notify;

/// <summary>
/// An organization's hand-over to its outbox: a decision is written in the snapshot's hand-overs, enqueued held (listed
/// at once), released once the errors behind it are logged, then forgotten; whatever was not released is handed over
/// again. Later changes follow it there: a direction switched off cancels its pending alerts, a recipient who lost the
/// subscription is dropped.
/// </summary>
internal sealed class HandOver(IOrganizationHost host, People people, ProjectionPump projection)
{
    private bool _running;

    /// <summary>A failed hand-over is tried again this soon (and then by the snapshot timer too).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private IDisposable? _retry;

    private IOutboxGrain Outbox => host.GrainFactory.GetGrain<IOutboxGrain>(host.OrgId);

    private List<OutboxEntry> Pending => host.State.HandOvers;

    /// <summary>Hands over, in the background, what a failed hand-over left in the snapshot (unless one is running).</summary>
    public void RetryPending()
    {
        if (Pending.Count > 0 && !_running) _ = HandOverAsync(Pending.ToList(), host.State.JournalPosition);
    }

    /// <summary>
    /// Enqueues the decisions, held, to the recipients subscribed to them now. A failure leaves them in the snapshot's
    /// hand-overs, which the snapshot timer hands over again. A decision no longer among the hand-overs (its direction
    /// was switched off meanwhile) is not enqueued.
    /// </summary>
    /// <returns>False when one could not be enqueued (its recipients could not be read, or the outbox did not answer).</returns>
    public async Task<bool> EnqueueHeldAsync(IEnumerable<OutboxEntry> entries)
    {
        try
        {
            foreach (var entry in entries)
            {
                if (!Pending.Contains(entry)) continue;
                entry.Held = true;
                await Outbox.EnqueueAsync(entry, await people.SubscribersAsync(entry.Payload.Audience));
            }
            return true;
        }
        catch (Exception exception)
        {
            Log.HandOverFailed(host.Logger, exception, host.OrgId);
            return false;
        }
    }

    /// <summary>
    /// Hands decisions over: enqueued (again: the outbox ignores ids it knows), then released once the errors behind
    /// them are in the log (commit <paramref name="sequence"/> projected), then forgotten. Runs after a decision, after
    /// an activation, and from the snapshot timer while any hand-over is left, so a decision is never stuck held.
    /// </summary>
    public async Task HandOverAsync(List<OutboxEntry> entries, long sequence)
    {
        _running = true;
        try
        {
            // Not enqueued, not released: releasing an id the outbox does not have would forget the decision. The
            // snapshot timer hands it over again.
            if (!await EnqueueHeldAsync(entries))
            {
                ScheduleRetry();
                return;
            }
            // A threshold e-mail's CSV reads the errors behind it: it waits until they are logged. Other kinds need not.
            if (entries.Any(entry => entry.Payload is ThresholdAlert)) await projection.WaitForAsync(sequence);
            foreach (var entry in entries)
            {
                if (!Pending.Contains(entry)) continue;
                await Outbox.ReleaseAsync(entry.Id);
                Pending.Remove(entry);
            }
        }
        catch (Exception exception)
        {
            Log.HandOverFailed(host.Logger, exception, host.OrgId);
            ScheduleRetry();
        }
        finally
        {
            _running = false;
        }
    }

    /// <summary>
    /// One retry, soon, on a timer of its own that keeps the organization active meanwhile: a decision whose grain (the
    /// outbox, the targets) was on a silo that just died is handed over once the cluster has moved on, without waiting
    /// for a snapshot tick that a failing journal would skip, or for an activation that only a later call would make.
    /// </summary>
    private void ScheduleRetry()
    {
        if (_retry is not null) return;
        _retry = host.After(RetryAfter, () =>
        {
            _retry?.Dispose();
            _retry = null;
            RetryPending();
            return Task.CompletedTask;
        });
    }

    /// <summary>Enqueues an entry that needs no hold (a digest round, whose rows are stored first).</summary>
    public Task EnqueueAsync(OutboxEntry entry, IReadOnlyList<string> recipients) => Outbox.EnqueueAsync(entry, recipients);

    /// <summary>Cancels pending alerts of a direction switched off, and forgets its hand-overs not yet enqueued.</summary>
    public Task CancelAsync(Direction direction, string reason) =>
        Outbox.CancelAsync(NotificationKind.ThresholdExceeded, direction, reason);

    /// <summary>For each event a user's address no longer receives (no other user with it subscribes), drops it from pending notifications.</summary>
    public async Task DropLostSubscriptionsAsync(UserProfile before, string reason)
    {
        var audiences = before.NotificationEvents
            .Append(UserProfile.DigestAudience)
            .Concat(before.Follows.Connections.Select(UserProfile.ConnectionAudience))
            .Where(before.IsSubscribedTo);
        foreach (var audience in audiences)
        {
            if (await people.AddressReceivesAsync(before.Email, audience)) continue;
            await Outbox.DropRecipientAsync(audience, before.Email, reason);
        }
    }
}
