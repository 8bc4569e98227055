using Alerts.Grains.Webhooks;

namespace Alerts.Tests.Policies;

/// <summary>Issue 21, item 4: the per-organization budget of platform-event e-mails, on fake time.</summary>
public sealed class PlatformEmailBudgetTests
{
    private static readonly DateTimeOffset Nine = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static bool Publish(PlatformEmailBudget budget, DateTimeOffset at, int limit, string type, string id, out FoldedWindow? ended)
    {
        ended = budget.Roll(at, Hour);
        return budget.Take(at, limit, type, id);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(60)]
    public void Exactly_the_budget_goes_one_by_one_in_a_window_and_the_rest_is_folded_per_type(int limit)
    {
        var budget = new PlatformEmailBudget();
        var sent = 0;
        for (var i = 0; i < limit + 10; i++)
        {
            if (Publish(budget, Nine.AddMinutes(i % 60), limit, i % 2 == 0 ? "run_failed" : "tenant_created", $"e{i}", out var ended)) sent++;
            Assert.Null(ended);
        }
        Assert.Equal(limit, sent);
        Assert.Equal(10, budget.Folded.Sum(f => f.Count));
        Assert.True(budget.Folded.Count <= 2);
        Assert.Equal(Nine + Hour, budget.SummaryDue(Hour));
    }

    [Fact]
    public void The_first_event_of_the_next_window_ends_the_last_one_with_its_folded_events_and_starts_afresh()
    {
        var budget = new PlatformEmailBudget();
        Assert.True(Publish(budget, Nine.AddMinutes(1), 1, "run_failed", "a", out _));
        Assert.False(Publish(budget, Nine.AddMinutes(2), 1, "run_failed", "b", out _));
        Assert.False(Publish(budget, Nine.AddMinutes(59), 1, "run_failed", "c", out _));
        Assert.False(Publish(budget, Nine.AddMinutes(30), 1, "tenant_archived", "d", out _));

        Assert.True(Publish(budget, Nine.AddMinutes(60), 1, "run_failed", "e", out var ended));
        Assert.NotNull(ended);
        Assert.Equal(Nine, ended.Start);
        Assert.Equal(Nine + Hour, ended.End);
        var runs = Assert.Single(ended.Events, e => e.EventType == "run_failed");
        Assert.Equal((2, Nine.AddMinutes(2), Nine.AddMinutes(59), "c"), (runs.Count, runs.First, runs.Last, runs.LastEventId));
        Assert.Equal(1, Assert.Single(ended.Events, e => e.EventType == "tenant_archived").Count);
        Assert.Empty(budget.Folded);
        Assert.Null(budget.SummaryDue(Hour));
    }

    [Fact]
    public void A_window_that_folded_nothing_ends_without_a_summary_and_a_late_roll_ends_it_once()
    {
        var budget = new PlatformEmailBudget();
        Assert.True(Publish(budget, Nine, 5, "run_failed", "a", out _));
        Assert.Null(budget.Roll(Nine.AddHours(3), Hour));
        Assert.Equal(Nine.AddHours(3), budget.WindowStart);

        Assert.True(Publish(budget, Nine.AddHours(3), 1, "run_failed", "b", out _));
        Assert.False(Publish(budget, Nine.AddHours(3).AddMinutes(5), 1, "run_failed", "c", out _));
        // The reminder comes a little early: nothing yet; then after the end, the summary once.
        Assert.Null(budget.Roll(Nine.AddHours(4).AddSeconds(-1), Hour));
        Assert.NotNull(budget.Roll(Nine.AddHours(4).AddSeconds(1), Hour));
        Assert.Null(budget.Roll(Nine.AddHours(4).AddSeconds(2), Hour));
    }

    [Fact]
    public void Windows_are_aligned_on_their_length()
    {
        Assert.Equal(Nine, PlatformEmailBudget.WindowOf(Nine.AddMinutes(59).AddSeconds(59), Hour));
        Assert.Equal(Nine.AddSeconds(20), PlatformEmailBudget.WindowOf(Nine.AddSeconds(39), TimeSpan.FromSeconds(20)));
    }
}
