using Alerts.Contracts;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Connections;

namespace Alerts.Tests.Policies;

/// <summary>SPEC §3.1, §3.2, §3.6: how errors open, fold, resolve and wait out their retry window.</summary>
public sealed class ErrorLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private int _events;

    private Attempt Error(string flow, string? trace, int? code = 500, TimeSpan? at = null, bool retrying = false, string? message = null) =>
        new($"e{++_events}", AttemptOutcome.Error, T0 + (at ?? TimeSpan.Zero), code, message ?? $"failed {_events}", flow, null, trace, retrying);

    private Attempt Success(string flow, string? trace, TimeSpan? at = null) =>
        new($"s{++_events}", AttemptOutcome.Success, T0 + (at ?? TimeSpan.Zero), null, null, flow, null, trace);

    private static TimeSpan Min(double minutes) => TimeSpan.FromMinutes(minutes);

    [Fact]
    public void A_new_error_is_open_from_when_it_was_learned()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1", at: -Min(3)), T0);
        var error = Assert.Single(book.Active);
        Assert.Equal(ErrorStatus.Open, error.Status);
        Assert.Equal(T0 - Min(3), error.FirstSeen);
        Assert.Equal(T0, error.OpenedAt);
        Assert.Equal(1, error.Occurrences);
    }

    [Fact]
    public void Repeats_of_the_same_problem_fold_into_one_error()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1", at: Min(0), message: "timeout"), T0);
        book.Apply(Error("orders", "o-1", at: Min(2), message: "timeout again"), T0 + Min(2));
        book.Apply(Error("orders", "o-1", at: Min(1)), T0 + Min(3));
        var error = Assert.Single(book.Active);
        Assert.Equal(3, error.Occurrences);
        Assert.Equal(T0, error.FirstSeen);
        Assert.Equal(T0 + Min(2), error.LastSeen);
        Assert.Equal("timeout again", error.Message); // the latest occurrence's, not the last to arrive
        Assert.Equal(T0, error.OpenedAt);
        Assert.Empty(book.Resolved);
    }

    [Fact]
    public void Errors_without_a_trace_key_fold_by_flow_and_status_code()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", null, 500), T0);
        book.Apply(Error("orders", null, 500), T0);
        book.Apply(Error("orders", null, 404), T0);
        book.Apply(Error("invoices", null, 500), T0);
        Assert.Equal(3, book.Active.Count);
        Assert.Equal(2, book.Active.Single(e => e.Flow == "orders" && e.StatusCode == 500).Occurrences);
        Assert.Empty(book.Resolved);
    }

    [Fact]
    public void A_new_error_with_the_same_trace_key_resolves_the_older_one_of_that_key_and_is_itself_open()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1", 500), T0);
        book.Apply(Error("orders", "o-1", 500), T0 + Min(1)); // the same problem again: folded, not a new error
        book.Apply(Error("orders", "o-2", 500), T0 + Min(1));
        book.Apply(Error("invoices", "o-1", 500), T0 + Min(1));

        book.Apply(Error("orders", "o-1", 404), T0 + Min(2));

        var superseded = Assert.Single(book.Resolved);
        Assert.Equal(("o-1", 500, 2L), (superseded.TraceKey, superseded.StatusCode!.Value, superseded.Occurrences));
        Assert.Equal((ErrorResolution.Superseded, (DateTimeOffset?)(T0 + Min(2))), (superseded.Resolution!.Value, superseded.ResolvedAt));
        var current = book.Active.Single(e => e.Flow == "orders" && e.TraceKey == "o-1");
        Assert.Equal((ErrorStatus.Open, 404, (DateTimeOffset?)(T0 + Min(2))), (current.Status, current.StatusCode!.Value, current.OpenedAt));
        // Other keys, and the same key in another flow, stay open.
        Assert.Contains(book.Active, e => e.TraceKey == "o-2");
        Assert.Contains(book.Active, e => e.Flow == "invoices" && e.TraceKey == "o-1");
    }

    [Fact]
    public void Every_older_error_of_the_key_open_or_retrying_goes_in_the_same_batch_and_one_never_open_stays_untold()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1", 500), T0);
        // A batch (one commit) of errors with the key: each replaces the one before, all at the commit's time.
        book.Apply(Error("orders", "o-1", 502, retrying: true), T0 + Min(1));
        book.Apply(Error("orders", "o-1", 503), T0 + Min(1));

        Assert.Equal([500, 502], book.Resolved.Select(e => e.StatusCode!.Value));
        Assert.All(book.Resolved, e => Assert.Equal((ErrorResolution.Superseded, (DateTimeOffset?)(T0 + Min(1))), (e.Resolution!.Value, e.ResolvedAt)));
        // The 502 was still in its retry window: it was never open, so no digest will tell it.
        Assert.Null(book.Resolved.Single(e => e.StatusCode == 502).OpenedAt);
        Assert.Equal(503, Assert.Single(book.Active).StatusCode);
    }

    [Fact]
    public void A_retrying_error_resolved_by_a_success_within_the_window_was_never_open()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1", retrying: true), T0);
        var held = Assert.Single(book.Active);
        Assert.Equal(ErrorStatus.Retrying, held.Status);
        Assert.Equal(T0 + ErrorBook.RetryWindow, held.RetryUntil);

        book.Apply(Success("orders", "o-1", at: Min(4)), T0 + Min(4.5));

        Assert.Empty(book.Active);
        var resolved = Assert.Single(book.Resolved);
        Assert.Equal(ErrorResolution.RetrySucceeded, resolved.Resolution);
        Assert.Null(resolved.OpenedAt);
    }

    [Fact]
    public void A_retrying_error_opens_when_its_window_closes_and_a_later_success_does_not_resolve_it()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1", retrying: true), T0);
        book.CloseRetryWindows(T0 + Min(4.99));
        Assert.Equal(ErrorStatus.Retrying, book.Active[0].Status);

        book.Apply(Success("orders", "o-1", at: Min(6)), T0 + Min(6));

        var error = Assert.Single(book.Active);
        Assert.Equal(ErrorStatus.Open, error.Status);
        // Open as of the moment the window closed, whenever that was noticed.
        Assert.Equal(T0 + ErrorBook.RetryWindow, error.OpenedAt);
        Assert.Empty(book.Resolved);
    }

    [Fact]
    public void A_success_for_another_flow_or_trace_key_leaves_a_retrying_error_alone()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1", retrying: true), T0);
        book.Apply(Success("orders", "o-2", at: Min(1)), T0 + Min(1));
        book.Apply(Success("invoices", "o-1", at: Min(1)), T0 + Min(1));
        book.Apply(Success("orders", "o-1", at: -Min(1)), T0 + Min(1)); // a success from before the error
        Assert.Equal(ErrorStatus.Retrying, Assert.Single(book.Active).Status);
    }

    [Fact]
    public void A_repeat_without_retrying_opens_a_retrying_error_at_once()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1", retrying: true), T0);
        book.Apply(Error("orders", "o-1", retrying: true, at: Min(1)), T0 + Min(1));
        Assert.Equal(ErrorStatus.Retrying, book.Active[0].Status);
        Assert.Equal(T0 + ErrorBook.RetryWindow, book.Active[0].RetryUntil); // repeats do not extend the window

        book.Apply(Error("orders", "o-1", at: Min(2)), T0 + Min(2));

        var error = Assert.Single(book.Active);
        Assert.Equal((ErrorStatus.Open, 3L, (DateTimeOffset?)(T0 + Min(2))), (error.Status, error.Occurrences, error.OpenedAt));
    }

    [Fact]
    public void A_retrying_error_that_arrives_after_its_window_is_open_at_once()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1", retrying: true, at: -Min(10)), T0);
        Assert.Equal((ErrorStatus.Open, (DateTimeOffset?)T0), (book.Active[0].Status, book.Active[0].OpenedAt));
    }

    [Fact]
    public void An_admin_resolves_by_hand_with_who_and_when_and_twice_changes_nothing()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1"), T0);
        var number = book.Active[0].Number;

        var first = book.ResolveByHand(number, "alice", T0 + Min(7));
        var again = book.ResolveByHand(number, "bob", T0 + Min(8));

        Assert.True(first!.Value.Changed);
        Assert.False(again!.Value.Changed);
        var error = Assert.Single(book.Resolved);
        Assert.Equal((ErrorResolution.Manual, "alice", (DateTimeOffset?)(T0 + Min(7))), (error.Resolution!.Value, error.ResolvedBy, error.ResolvedAt));
        Assert.Null(book.ResolveByHand(number + 100, "alice", T0));
    }

    [Fact]
    public void After_a_resolution_the_same_problem_opens_a_new_error()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1"), T0);
        book.ResolveByHand(book.Active[0].Number, "alice", T0 + Min(1));
        book.Apply(Error("orders", "o-1", at: Min(2)), T0 + Min(2));
        var reopened = Assert.Single(book.Active);
        Assert.NotEqual(book.Resolved[0].Number, reopened.Number);
        Assert.Equal(1, reopened.Occurrences);
    }

    [Fact]
    public void Thousands_of_distinct_errors_keep_a_bounded_set_and_fold_the_rest_into_one_overflow_error()
    {
        var book = new ErrorBook();
        for (var i = 0; i < 5_000; i++) book.Apply(Error("orders", $"o-{i}"), T0);

        Assert.Equal(ErrorBook.MaxActive + 1, book.Active.Count);
        var overflow = Assert.Single(book.Active, e => e.Overflow);
        Assert.Equal(5_000 - ErrorBook.MaxActive, overflow.Occurrences);
        Assert.Equal(ErrorStatus.Open, overflow.Status);
        // Repeats of tracked errors still fold into them.
        book.Apply(Error("orders", "o-0"), T0 + Min(1));
        Assert.Equal(2, book.Active.Single(e => e.TraceKey == "o-0").Occurrences);
    }

    [Fact]
    public void Resolved_errors_kept_are_bounded_oldest_first_out()
    {
        var book = new ErrorBook();
        for (var i = 0; i < ErrorBook.MaxResolvedKept + 30; i++)
        {
            book.Apply(Error("orders", "o-1", code: 400 + i % 2), T0 + Min(i));
        }
        Assert.Equal(ErrorBook.MaxResolvedKept, book.Resolved.Count);
        Assert.Single(book.Active);
        Assert.Equal(T0 + Min(ErrorBook.MaxResolvedKept + 29), book.Resolved[^1].ResolvedAt);
    }

    [Fact]
    public void Errors_resolved_without_ever_opening_are_evicted_before_a_resolution_a_digest_owes()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "told"), T0);
        book.ResolveByHand(book.Active[0].Number, "alice", T0 + Min(1));
        for (var i = 0; i < ErrorBook.MaxResolvedKept * 2; i++)
        {
            book.Apply(Error("orders", $"blip-{i}", retrying: true), T0 + Min(2));
            book.Apply(Success("orders", $"blip-{i}", at: Min(3)), T0 + Min(3));
        }
        Assert.Equal(ErrorBook.MaxResolvedKept, book.Resolved.Count);
        Assert.Contains(book.Resolved, e => e.TraceKey == "told");
    }

    [Fact]
    public void The_book_says_what_changed_since_it_was_last_asked_and_which_resolved_errors_it_let_go()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1"), T0);
        book.Apply(Error("orders", "o-2"), T0);
        Assert.Equal(2, book.TakeChanges().Changed.Count);

        // Nothing since: nothing to say. A repeat: that error only. A new code for a key: the superseded one and the new one.
        Assert.Empty(book.TakeChanges().Changed);
        book.Apply(Error("orders", "o-1", at: Min(1)), T0 + Min(1));
        Assert.Equal([(1L, 2L)], book.TakeChanges().Changed.Select(e => (e.Number, e.Occurrences)));
        book.Apply(Error("orders", "o-2", code: 404), T0 + Min(2));
        Assert.Equal([(2L, ErrorStatus.Resolved), (3L, ErrorStatus.Open)], book.TakeChanges().Changed.Select(e => (e.Number, e.Status)).Order());

        // Past the resolved errors kept, the one let go is named (and not also reported as changed).
        for (var i = 0; i < ErrorBook.MaxResolvedKept; i++)
        {
            book.Apply(Error("bulk", $"b-{i}", at: Min(3)), T0 + Min(3));
            book.ResolveByHand(book.Active[^1].Number, "admin", T0 + Min(3));
        }
        var (changed, gone) = book.TakeChanges();
        Assert.Equal([2L], gone);
        Assert.DoesNotContain(changed, e => e.Number == 2);
        Assert.Equal(ErrorBook.MaxResolvedKept, book.Resolved.Count);
    }

    [Fact]
    public void The_book_survives_a_round_trip_through_storage_with_its_indexes_rebuilt()
    {
        var book = new ErrorBook();
        book.Apply(Error("orders", "o-1", retrying: true), T0);
        book.Apply(Error("orders", "o-2"), T0);
        var copy = new ErrorBook { Active = book.Active.ToList(), Resolved = book.Resolved.ToList(), NextNumber = book.NextNumber };

        copy.Apply(Error("orders", "o-2"), T0 + Min(1));
        copy.Apply(Success("orders", "o-1", at: Min(1)), T0 + Min(1));

        Assert.Equal(2, copy.Active.Single(e => e.TraceKey == "o-2").Occurrences);
        Assert.Equal(ErrorResolution.RetrySucceeded, Assert.Single(copy.Resolved).Resolution);
    }

    [Theory]
    [InlineData("crm:7", "crm", 7L)]
    [InlineData("a:b:12", "a:b", 12L)]
    public void Error_ids_name_their_integration(string id, string integration, long number)
    {
        Assert.True(ErrorIds.TryParse(id, out var parsedIntegration, out var parsedNumber));
        Assert.Equal((integration, number), (parsedIntegration, parsedNumber));
        Assert.Equal(id, ErrorIds.Format(integration, number));
    }

    [Theory]
    [InlineData("crm")]
    [InlineData("crm:")]
    [InlineData(":7")]
    [InlineData("crm:-7")]
    [InlineData("crm:0")]
    public void Malformed_error_ids_are_refused(string id) => Assert.False(ErrorIds.TryParse(id, out _, out _));
}
