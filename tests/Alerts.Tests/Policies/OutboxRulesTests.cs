using Alerts.Contracts;
using Alerts.Grains.Notifications;
using Alerts.Grains.Policies;
using Alerts.Grains.State;

namespace Alerts.Tests.Policies;

public sealed class OutboxRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static OutboxEntry Entry(string id, params string[] recipients) => new()
    {
        Id = id,
        Kind = NotificationKind.ThresholdExceeded,
        CreatedAt = T0,
        Status = NotificationStatus.Pending,
        Recipients = recipients.Select(r => new OutboxRecipient { Email = r, Status = NotificationStatus.Pending }).ToList(),
    };

    private static RecipientResult Result(string email, RecipientOutcome outcome) => new(email, outcome, outcome.ToString());

    [Fact]
    public void An_entry_is_added_once_per_key()
    {
        var outbox = new List<OutboxEntry>();
        Assert.True(OutboxRules.Add(outbox, Entry("k1", "a@x.test")));
        Assert.False(OutboxRules.Add(outbox, Entry("k1", "a@x.test")));
        Assert.Single(outbox);
    }

    [Fact]
    public void An_entry_without_recipients_is_finished_at_once()
    {
        var outbox = new List<OutboxEntry>();
        OutboxRules.Add(outbox, Entry("k1"));
        Assert.Equal(NotificationStatus.NoRecipients, outbox[0].Status);
    }

    [Fact]
    public void Delivered_to_everyone_is_sent()
    {
        var entry = Entry("k", "a@x.test", "b@x.test");
        Assert.True(OutboxRules.ApplyResults(entry, [Result("a@x.test", RecipientOutcome.Delivered), Result("b@x.test", RecipientOutcome.Delivered)], T0.AddSeconds(1)));
        Assert.Equal(NotificationStatus.Sent, entry.Status);
        Assert.Equal(T0.AddSeconds(1), entry.SentAt);
        Assert.Equal(1, entry.Attempts);
        Assert.False(OutboxRules.ApplyResults(entry, [Result("a@x.test", RecipientOutcome.Delivered)], T0.AddSeconds(2)));
    }

    [Fact]
    public void A_transient_failure_retries_only_the_recipients_not_yet_sent()
    {
        var entry = Entry("k", "a@x.test", "b@x.test");
        OutboxRules.ApplyResults(entry, [Result("a@x.test", RecipientOutcome.Delivered), Result("b@x.test", RecipientOutcome.TransientFailure)], T0);
        Assert.Equal(NotificationStatus.Pending, entry.Status);
        Assert.Equal(T0 + RetrySchedule.DelayAfter(1), entry.NextAttemptAt);
        Assert.Contains("b@x.test", entry.LastError);

        var next = OutboxRules.ToDelivery("org", entry);
        Assert.Equal(["b@x.test"], next.Recipients);
        Assert.Equal(entry.NextAttemptAt, next.NotBefore);
    }

    [Fact]
    public void A_permanent_rejection_is_not_retried()
    {
        var entry = Entry("k", "a@x.test", "gone@x.test");
        OutboxRules.ApplyResults(entry, [Result("a@x.test", RecipientOutcome.Delivered), Result("gone@x.test", RecipientOutcome.PermanentFailure)], T0);
        Assert.Equal(NotificationStatus.Failed, entry.Status);
        Assert.Equal(NotificationStatus.Failed, entry.Recipients[1].Status);
        Assert.Contains("gone@x.test", entry.LastError);
        Assert.Null(entry.NextAttemptAt);
    }

    [Fact]
    public void Retries_stop_after_a_day()
    {
        var entry = Entry("k", "a@x.test");
        var now = T0;
        while (entry.Status == NotificationStatus.Pending)
        {
            OutboxRules.ApplyResults(entry, [Result("a@x.test", RecipientOutcome.TransientFailure)], now);
            if (entry.NextAttemptAt is { } next) now = next;
        }
        Assert.Equal(NotificationStatus.Failed, entry.Status);
        Assert.True(now <= T0 + RetrySchedule.GiveUpAfter);
        Assert.InRange(entry.Attempts, 20, 40);
        Assert.StartsWith("gave up after", entry.LastError);
    }

    [Fact]
    public void The_schedule_backs_off_then_stays_hourly()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), RetrySchedule.DelayAfter(1));
        Assert.True(RetrySchedule.DelayAfter(2) > RetrySchedule.DelayAfter(1));
        Assert.Equal(TimeSpan.FromHours(1), RetrySchedule.DelayAfter(7));
        Assert.Equal(TimeSpan.FromHours(1), RetrySchedule.DelayAfter(50));
        Assert.Null(RetrySchedule.NextAttempt(T0, 30, T0 + TimeSpan.FromHours(23.5)));
    }

    [Fact]
    public void One_worker_at_a_time_holds_the_lease_until_it_reports_or_the_lease_expires()
    {
        var entry = Entry("k", "a@x.test");
        var length = TimeSpan.FromMinutes(15);
        static bool Alive(string _) => true;
        Assert.True(OutboxRules.TryLease(entry, "silo-a", T0, length, Alive));
        Assert.False(OutboxRules.TryLease(entry, "silo-b", T0.AddMinutes(14), length, Alive));
        Assert.True(OutboxRules.TryLease(entry, "silo-a", T0.AddMinutes(14), length, Alive));
        Assert.True(OutboxRules.TryLease(entry, "silo-b", T0.AddMinutes(30), length, Alive));

        OutboxRules.ApplyResults(entry, [Result("a@x.test", RecipientOutcome.TransientFailure)], T0.AddMinutes(31));
        Assert.Null(entry.LeaseHolder);
        Assert.True(OutboxRules.TryLease(entry, "silo-a", T0.AddMinutes(32), length, Alive));

        OutboxRules.ApplyResults(entry, [Result("a@x.test", RecipientOutcome.Delivered)], T0.AddMinutes(33));
        Assert.False(OutboxRules.TryLease(entry, "silo-a", T0.AddMinutes(34), length, Alive));
    }

    [Fact]
    public void A_lease_held_by_a_silo_that_left_the_cluster_is_void()
    {
        var entry = Entry("k", "a@x.test");
        Assert.True(OutboxRules.TryLease(entry, "silo-a", T0, TimeSpan.FromMinutes(15), _ => true));
        Assert.True(OutboxRules.TryLease(entry, "silo-b", T0.AddSeconds(1), TimeSpan.FromMinutes(15), holder => holder != "silo-a"));
        Assert.Equal("silo-b", entry.LeaseHolder);
    }

    [Fact]
    public void Only_the_latest_finished_entries_are_kept_and_pending_ones_never_dropped()
    {
        var outbox = new List<OutboxEntry> { Entry("pending", "a@x.test") };
        for (var i = 0; i < OutboxRules.FinishedKept + 10; i++) OutboxRules.Add(outbox, Entry($"done-{i}"));
        Assert.Equal(OutboxRules.FinishedKept + 1, outbox.Count);
        Assert.Equal("pending", outbox[0].Id);
        Assert.Equal("done-10", outbox[1].Id);
    }
}
