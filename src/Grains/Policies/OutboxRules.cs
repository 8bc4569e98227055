using Alerts.Contracts;
using Alerts.Grains.Notifications;
using Alerts.Grains.State;

namespace Alerts.Grains.Policies;

/// <summary>
/// How an outbox evolves: entries are added once per idempotency key, delivery results move recipients
/// to sent or failed, failures are retried on <see cref="RetrySchedule"/>, and finished entries are kept
/// only up to <see cref="FinishedKept"/> for the notification log.
/// </summary>
public static class OutboxRules
{
    public const int FinishedKept = 200;

    /// <summary>Adds the entry unless one with its key is already there. True when added.</summary>
    public static bool Add(List<OutboxEntry> outbox, OutboxEntry entry)
    {
        if (outbox.Exists(existing => existing.Id == entry.Id)) return false;
        if (entry.Recipients.Count == 0) entry.Status = NotificationStatus.NoRecipients;
        outbox.Add(entry);
        Trim(outbox);
        return true;
    }

    /// <summary>
    /// Lets <paramref name="worker"/> make a pass over a pending entry, unless another worker holds an unexpired lease
    /// on it and is still alive: whichever silo a hand-over reached, only one sends at a time, and a lease held by a
    /// silo that died or stopped is void at once. True when the lease is the worker's.
    /// </summary>
    public static bool TryLease(OutboxEntry entry, string worker, DateTimeOffset now, TimeSpan length, Func<string, bool> isAlive)
    {
        if (entry.Status != NotificationStatus.Pending || !entry.Unsent.Any()) return false;
        if (entry.LeaseHolder is { } holder && holder != worker && entry.LeaseUntil > now && isAlive(holder)) return false;
        entry.LeaseHolder = worker;
        entry.LeaseUntil = now + length;
        return true;
    }

    /// <summary>Applies one delivery pass's results. Returns false when the entry is unknown or already finished.</summary>
    public static bool ApplyResults(OutboxEntry entry, IReadOnlyList<RecipientResult> results, DateTimeOffset now)
    {
        if (entry.Status != NotificationStatus.Pending) return false;
        entry.Attempts++;
        entry.LeaseHolder = null;
        entry.LeaseUntil = null;
        string? lastError = null;
        foreach (var result in results)
        {
            var recipient = entry.Recipients.Find(r => string.Equals(r.Email, result.Email, StringComparison.OrdinalIgnoreCase));
            if (recipient is null || recipient.Status != NotificationStatus.Pending) continue;
            recipient.Reply = result.Reply;
            switch (result.Outcome)
            {
                case RecipientOutcome.Delivered:
                    recipient.Status = NotificationStatus.Sent;
                    recipient.SentAt = now;
                    break;
                case RecipientOutcome.PermanentFailure:
                    recipient.Status = NotificationStatus.Failed;
                    lastError = $"{recipient.Email}: {result.Reply}";
                    break;
                default:
                    lastError = $"{recipient.Email}: {result.Reply}";
                    break;
            }
        }
        if (lastError is not null) entry.LastError = lastError;

        if (entry.Unsent.Any())
        {
            var next = RetrySchedule.NextAttempt(entry.CreatedAt, entry.Attempts, now);
            if (next is not null)
            {
                entry.NextAttemptAt = next;
                return true;
            }
            foreach (var recipient in entry.Unsent.ToList()) recipient.Status = NotificationStatus.Failed;
            entry.LastError = $"gave up after {entry.Attempts} attempts over {RetrySchedule.GiveUpAfter.TotalHours:0} hours; last error: {entry.LastError}";
        }
        Finish(entry);
        return true;
    }

    /// <summary>What the delivery worker should do for a pending entry.</summary>
    public static OutboxDelivery ToDelivery(string orgId, OutboxEntry entry) => new(
        orgId, entry.Id, entry.Kind, entry.Unsent.Select(r => r.Email).ToList(),
        entry.NextAttemptAt ?? entry.CreatedAt, entry.Threshold);

    private static void Finish(OutboxEntry entry)
    {
        entry.NextAttemptAt = null;
        var sent = entry.Recipients.Where(r => r.Status == NotificationStatus.Sent).ToList();
        entry.Status = sent.Count == entry.Recipients.Count ? NotificationStatus.Sent : NotificationStatus.Failed;
        entry.SentAt = sent.Count > 0 ? sent.Max(r => r.SentAt) : null;
    }

    private static void Trim(List<OutboxEntry> outbox)
    {
        var finished = outbox.Count(e => e.Status != NotificationStatus.Pending);
        for (var i = 0; i < outbox.Count && finished > FinishedKept;)
        {
            if (outbox[i].Status != NotificationStatus.Pending)
            {
                outbox.RemoveAt(i);
                finished--;
            }
            else i++;
        }
    }
}
