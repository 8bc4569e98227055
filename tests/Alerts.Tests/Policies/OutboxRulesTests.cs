using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;

namespace Alerts.Tests.Policies;

public sealed class OutboxRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(15);

    private static ThresholdAlert Alert(Direction direction = Direction.Outgoing) => new(
        "org", "Org", "production", true, direction, 5, true, FailureInterval.OneHour, T0.AddHours(-1), T0, [], T0.AddDays(-30));

    private static OutboxEntry Entry(string id = "k") => new() { Id = id, Payload = Alert(), CreatedAt = T0, Subject = "s" };

    private static bool Alive(string _) => true;

    private static bool Dead(string _) => false;

    [Fact]
    public void An_entry_is_known_while_pending_and_after_it_finished()
    {
        var state = new OutboxState();
        OutboxRules.Add(state, Entry("k1"), maxPending: 10);
        Assert.True(OutboxRules.IsKnown(state, "k1"));
        OutboxRules.Forget(state, state.Pending[0]);
        Assert.Empty(state.Pending);
        Assert.True(OutboxRules.IsKnown(state, "k1"));
        Assert.False(OutboxRules.IsKnown(state, "k2"));
    }

    [Fact]
    public void Finished_ids_are_remembered_up_to_a_bound()
    {
        var state = new OutboxState();
        for (var i = 0; i < OutboxRules.FinishedRemembered + 10; i++) OutboxRules.Forget(state, Entry($"k{i}"));
        Assert.Equal(OutboxRules.FinishedRemembered, state.RecentlyFinished.Count);
        Assert.False(OutboxRules.IsKnown(state, "k0"));
        Assert.True(OutboxRules.IsKnown(state, $"k{OutboxRules.FinishedRemembered + 9}"));
    }

    [Fact]
    public void Past_the_pending_bound_the_oldest_idle_entries_are_pushed_out()
    {
        var state = new OutboxState();
        OutboxRules.Add(state, Entry("busy"), maxPending: 2);
        OutboxRules.TryLease(state.Pending[0], "silo-a", "p", T0, Lease, Alive);
        OutboxRules.Add(state, Entry("idle"), maxPending: 2);
        var pushed = OutboxRules.Add(state, Entry("new"), maxPending: 2);
        Assert.Equal(["idle"], pushed.Select(e => e.Id));
        Assert.Equal(["busy", "new"], state.Pending.Select(e => e.Id));
    }

    [Fact]
    public void A_live_worker_that_renews_keeps_its_lease_however_long_its_pass_waits()
    {
        var entry = Entry();
        Assert.True(OutboxRules.TryLease(entry, "silo-a", "p1", T0, Lease, Alive));
        Assert.False(OutboxRules.TryLease(entry, "silo-b", "p2", T0.AddMinutes(14), Lease, Alive));
        entry.Lease!.RenewedAt = T0.AddMinutes(14);
        Assert.False(OutboxRules.TryLease(entry, "silo-b", "p2", T0.AddMinutes(28), Lease, Alive));
        Assert.True(OutboxRules.Holds(entry, "p1"));
    }

    [Fact]
    public void A_lease_not_renewed_or_held_by_a_silo_that_left_is_void()
    {
        var stale = Entry();
        OutboxRules.TryLease(stale, "silo-a", "p1", T0, Lease, Alive);
        Assert.True(OutboxRules.TryLease(stale, "silo-b", "p2", T0 + Lease, Lease, Alive));
        Assert.False(OutboxRules.Holds(stale, "p1"));

        var orphaned = Entry();
        OutboxRules.TryLease(orphaned, "silo-a", "p1", T0, Lease, Alive);
        Assert.True(OutboxRules.TryLease(orphaned, "silo-b", "p2", T0.AddSeconds(1), Lease, Dead));
    }

    [Fact]
    public void No_pass_begins_before_the_back_off()
    {
        var entry = Entry();
        entry.NextAttemptAt = T0.AddMinutes(1);
        Assert.False(OutboxRules.TryLease(entry, "silo-a", "p", T0, Lease, Alive));
        Assert.True(OutboxRules.TryLease(entry, "silo-a", "p", T0.AddMinutes(1), Lease, Alive));
    }

    [Fact]
    public void A_pass_that_left_nobody_pending_finishes_with_what_became_of_everyone()
    {
        Assert.Equal(NotificationStatus.Sent, OutboxRules.EndPass(Entry(), new RecipientCounts(0, 3, 0, 1), false, T0).FinishedAs);
        Assert.Equal(NotificationStatus.Failed, OutboxRules.EndPass(Entry(), new RecipientCounts(0, 3, 1, 0), false, T0).FinishedAs);
        Assert.Equal(NotificationStatus.Cancelled, OutboxRules.EndPass(Entry(), new RecipientCounts(0, 0, 0, 2), false, T0).FinishedAs);
        var entry = Entry();
        OutboxRules.TryLease(entry, "silo-a", "p", T0, Lease, Alive);
        OutboxRules.EndPass(entry, new RecipientCounts(0, 1, 0, 0), false, T0);
        Assert.Null(entry.Lease);
    }

    [Fact]
    public void Recipients_still_pending_are_retried_on_the_schedule_and_given_up_after_a_day()
    {
        var entry = Entry();
        var first = OutboxRules.EndPass(entry, new RecipientCounts(1, 2, 0, 0), false, T0);
        Assert.Equal(T0 + RetrySchedule.DelayAfter(1), first.NextAt);
        Assert.Equal(1, entry.Attempts);

        var late = OutboxRules.EndPass(entry, new RecipientCounts(1, 2, 0, 0), false, T0 + RetrySchedule.GiveUpAfter);
        Assert.Equal(NotificationStatus.Failed, late.FinishedAs);
        Assert.Contains("gave up after 2 attempts", entry.LastError);
    }

    [Fact]
    public void A_pass_cut_short_by_a_shutdown_is_resumed_at_once_and_not_counted_as_an_attempt()
    {
        var entry = Entry();
        var outcome = OutboxRules.EndPass(entry, new RecipientCounts(30, 15, 0, 0), interrupted: true, T0);
        Assert.Equal(T0, outcome.NextAt);
        Assert.Equal(0, entry.Attempts);
    }

    [Fact]
    public void A_called_off_entry_finishes_as_cancelled_even_with_recipients_pending()
    {
        var entry = Entry();
        entry.CancelReason = "switched off";
        Assert.Equal(NotificationStatus.Cancelled, OutboxRules.EndPass(entry, new RecipientCounts(4, 1, 0, 0), false, T0).FinishedAs);
    }

    [Fact]
    public void A_result_moves_one_recipient_and_keeps_the_relays_reply()
    {
        var recipient = new RecipientView("a@x.test", NotificationStatus.Pending, 0, null, null, null);
        var sent = OutboxRules.Apply(recipient, new RecipientResult("a@x.test", RecipientOutcome.Delivered, "250 OK"), T0);
        Assert.Equal((NotificationStatus.Sent, 1, "250 OK", T0), (sent.Status, sent.Attempts, sent.Reply, sent.SentAt));
        var retried = OutboxRules.Apply(recipient, new RecipientResult("a@x.test", RecipientOutcome.TransientFailure, "451 later"), T0);
        Assert.Equal((NotificationStatus.Pending, 1, "451 later"), (retried.Status, retried.Attempts, retried.Reply));
        var refused = OutboxRules.Apply(retried, new RecipientResult("a@x.test", RecipientOutcome.PermanentFailure, "550 no"), T0);
        Assert.Equal((NotificationStatus.Failed, 2), (refused.Status, refused.Attempts));
        Assert.Equal(new RecipientCounts(1, 1, 1, 0), OutboxRules.Count([retried, sent, refused]));
    }
}
