using Alerts.Contracts;

namespace Alerts.Grains.Notify;

/// <summary>
/// How an outbox evolves, as pure functions: entries are added once per idempotency key, leased to one live worker at a
/// time, retried on <see cref="RetrySchedule"/> and finished with a status that says what became of every recipient.
/// </summary>
public static class OutboxRules
{
    /// <summary>Finished ids remembered, so a hand-over repeated after a crash is recognised (bounded: 256 ids).</summary>
    public const int FinishedRemembered = 256;

    public static bool IsKnown(OutboxState state, string id) =>
        state.Pending.Exists(entry => entry.Id == id) || state.RecentlyFinished.Contains(id, StringComparer.Ordinal);

    /// <summary>Adds a new entry; returns the oldest pending entries pushed out by <paramref name="maxPending"/>.</summary>
    public static List<OutboxEntry> Add(OutboxState state, OutboxEntry entry, int maxPending)
    {
        state.Pending.Add(entry);
        var excess = state.Pending.Count - Math.Max(1, maxPending);
        if (excess <= 0) return [];
        var pushedOut = state.Pending.Where(e => e.Lease is null).Take(excess).ToList();
        foreach (var old in pushedOut) state.Pending.Remove(old);
        return pushedOut;
    }

    /// <summary>
    /// Leases the entry to a new pass unless another worker holds it: a holder keeps it while its silo is in the cluster
    /// and it renewed the lease within <paramref name="lease"/>. A lease of a silo that left, or not renewed, is void.
    /// </summary>
    public static bool TryLease(OutboxEntry entry, string worker, string passId, DateTimeOffset now, TimeSpan lease, Func<string, bool> isAlive)
    {
        if (entry.NextAttemptAt > now) return false;
        if (entry.Lease is { } held && held.Holder != worker && isAlive(held.Holder) && now - held.RenewedAt < lease) return false;
        entry.Lease = new OutboxLease { Holder = worker, PassId = passId, RenewedAt = now };
        return true;
    }

    public static bool Holds(OutboxEntry entry, string passId) => entry.Lease?.PassId == passId;

    /// <summary>What ending a pass does, given how many recipients are still pending.</summary>
    public static PassOutcome EndPass(OutboxEntry entry, RecipientCounts counts, bool interrupted, DateTimeOffset now)
    {
        entry.Lease = null;
        // A pass cut short by a shutdown is not an attempt: the rest is sent at once after the restart.
        if (!interrupted) entry.Attempts++;
        if (entry.CancelReason is not null) return PassOutcome.Finish(NotificationStatus.Cancelled);
        if (counts.Pending == 0) return PassOutcome.Finish(FinalStatus(counts));
        if (interrupted)
        {
            entry.NextAttemptAt = now;
            return PassOutcome.Retry(now);
        }
        if (RetrySchedule.NextAttempt(entry.CreatedAt, entry.Attempts, now) is { } next)
        {
            entry.NextAttemptAt = next;
            return PassOutcome.Retry(next);
        }
        entry.LastError = $"gave up after {entry.Attempts} attempts over {RetrySchedule.GiveUpAfter.TotalHours:0} hours; last error: {entry.LastError}";
        return PassOutcome.Finish(NotificationStatus.Failed);
    }

    /// <summary>Sent when everyone still meant to get it got it; failed when anyone was given up on.</summary>
    public static NotificationStatus FinalStatus(RecipientCounts counts) =>
        counts.Failed > 0 ? NotificationStatus.Failed
        : counts.Sent > 0 ? NotificationStatus.Sent
        : counts.Dropped > 0 ? NotificationStatus.Cancelled
        : NotificationStatus.NoRecipients;

    /// <summary>Takes a finished entry out, remembering its id.</summary>
    public static void Forget(OutboxState state, OutboxEntry entry)
    {
        state.Pending.Remove(entry);
        state.RecentlyFinished.Add(entry.Id);
        if (state.RecentlyFinished.Count > FinishedRemembered) state.RecentlyFinished.RemoveRange(0, state.RecentlyFinished.Count - FinishedRemembered);
    }

    public static RecipientCounts Count(IEnumerable<RecipientView> recipients)
    {
        int pending = 0, sent = 0, failed = 0, dropped = 0;
        foreach (var recipient in recipients)
        {
            switch (recipient.Status)
            {
                case NotificationStatus.Pending: pending++; break;
                case NotificationStatus.Sent: sent++; break;
                case NotificationStatus.Failed: failed++; break;
                default: dropped++; break;
            }
        }
        return new RecipientCounts(pending, sent, failed, dropped);
    }

    /// <summary>A recipient after one attempt: sent, failed for good, or still pending with the relay's reply.</summary>
    public static RecipientView Apply(RecipientView recipient, RecipientResult result, DateTimeOffset now) => result.Outcome switch
    {
        RecipientOutcome.Delivered => recipient with { Status = NotificationStatus.Sent, Attempts = recipient.Attempts + 1, Reply = result.Reply, SentAt = now, UpdatedAt = now },
        RecipientOutcome.PermanentFailure => recipient with { Status = NotificationStatus.Failed, Attempts = recipient.Attempts + 1, Reply = result.Reply, UpdatedAt = now },
        _ => recipient with { Attempts = recipient.Attempts + 1, Reply = result.Reply, UpdatedAt = now },
    };
}

public readonly record struct RecipientCounts(int Pending, int Sent, int Failed, int Dropped);

public sealed record PassOutcome(NotificationStatus? FinishedAs, DateTimeOffset? NextAt)
{
    public static PassOutcome Finish(NotificationStatus status) => new(status, null);

    public static PassOutcome Retry(DateTimeOffset at) => new(null, at);
}
