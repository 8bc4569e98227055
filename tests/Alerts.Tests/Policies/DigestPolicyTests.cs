using Alerts.Contracts;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Connections;

namespace Alerts.Tests.Policies;

/// <summary>SPEC §3.3–3.5: who is told what in a digest round.</summary>
public sealed class DigestPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Round = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset LongAgo = T0 - TimeSpan.FromDays(1);

    private static ErrorView Error(string id, string integration, string flow, DateTimeOffset? openedAt, DateTimeOffset? resolvedAt = null) =>
        new(id, integration, flow, null, 500, "failed", null, resolvedAt is null ? ErrorStatus.Open : ErrorStatus.Resolved,
            openedAt ?? T0, openedAt ?? T0, 1, null, openedAt, resolvedAt, resolvedAt is null ? null : ErrorResolution.Manual, null);

    private static DigestSubscriber Follows(string user, params (string Integration, string? Flow)[] scopes) =>
        new(user, $"{user}@example.com", scopes.Select(s => new DigestScope(s.Integration, s.Flow, LongAgo)).ToList());

    private static UserDigest? For(List<UserDigest> digests, string user) => digests.SingleOrDefault(d => d.Subscriber.UserId == user);

    [Fact]
    public void Each_user_is_told_only_about_the_flows_they_follow()
    {
        var errors = new[]
        {
            Error("crm:1", "crm", "orders", T0 + TimeSpan.FromMinutes(1)),
            Error("crm:2", "crm", "invoices", T0 + TimeSpan.FromMinutes(2)),
            Error("erp:1", "erp", "sync", T0 + TimeSpan.FromMinutes(3)),
        };
        var users = new[] { Follows("ann", ("crm", "orders")), Follows("bob", ("crm", null)), Follows("cid", ("erp", "other")) };

        var digests = DigestPolicy.Decide(users, errors, T0, T0 + Round, 50);

        Assert.Equal(["crm:1"], For(digests, "ann")!.New.Details.Select(e => e.Id));
        Assert.Equal(["crm:2", "crm:1"], For(digests, "bob")!.New.Details.Select(e => e.Id)); // newest first
        Assert.Null(For(digests, "cid"));
    }

    [Fact]
    public void Counts_new_resolved_and_still_open_separately()
    {
        var previous = T0;
        var now = T0 + Round;
        var errors = new[]
        {
            Error("crm:1", "crm", "orders", T0 - Round),                       // told last round, still open
            Error("crm:2", "crm", "orders", T0 - Round, now - TimeSpan.FromMinutes(1)), // told, resolved since
            Error("crm:3", "crm", "orders", T0 + TimeSpan.FromMinutes(5)),     // new
        };
        var digest = Assert.Single(DigestPolicy.Decide([Follows("ann", ("crm", null))], errors, previous, now, 50));
        Assert.Equal((1, 1, 2), (digest.New.Count, digest.Resolved.Count, digest.Open.Count));
        Assert.Equal("crm:3", digest.New.Details[0].Id);
        Assert.Equal("crm:2", digest.Resolved.Details[0].Id);
        Assert.Equal(["crm:1", "crm:3"], digest.Open.Details.Select(e => e.Id).Order());
    }

    [Fact]
    public void An_error_that_opened_and_resolved_between_two_rounds_is_in_neither()
    {
        var errors = new[] { Error("crm:1", "crm", "orders", T0 + TimeSpan.FromMinutes(2), T0 + TimeSpan.FromMinutes(9)) };
        Assert.Empty(DigestPolicy.Decide([Follows("ann", ("crm", null))], errors, T0, T0 + Round, 50));
        Assert.Empty(DigestPolicy.Decide([Follows("ann", ("crm", null))], errors, T0 + Round, T0 + 2 * Round, 50));
    }

    [Fact]
    public void A_resolution_is_told_only_to_those_who_were_told_the_error_was_open()
    {
        var previous = T0;
        var now = T0 + Round;
        var error = Error("crm:1", "crm", "orders", T0 - Round, T0 + TimeSpan.FromMinutes(3));
        var told = Follows("ann", ("crm", "orders"));
        // Bob started following the flow after the last round: he never heard of the error.
        var late = new DigestSubscriber("bob", "bob@example.com", [new DigestScope("crm", "orders", T0 + TimeSpan.FromMinutes(1))]);

        var digests = DigestPolicy.Decide([told, late], [error], previous, now, 50);

        Assert.Equal(1, For(digests, "ann")!.Resolved.Count);
        Assert.Null(For(digests, "bob"));
    }

    [Fact]
    public void Errors_already_open_are_new_to_someone_who_starts_following_them()
    {
        var error = Error("crm:1", "crm", "orders", T0 - TimeSpan.FromHours(2));
        var newcomer = new DigestSubscriber("bob", "bob@example.com", [new DigestScope("crm", null, T0 + TimeSpan.FromMinutes(1))]);
        var digest = Assert.Single(DigestPolicy.Decide([newcomer, Follows("ann", ("crm", null))], [error], T0, T0 + Round, 50));
        Assert.Equal(("bob", 1), (digest.Subscriber.UserId, digest.New.Count));
    }

    [Fact]
    public void Nothing_changed_means_no_digest_even_with_errors_still_open()
    {
        var errors = new[] { Error("crm:1", "crm", "orders", T0 - Round) };
        Assert.Empty(DigestPolicy.Decide([Follows("ann", ("crm", null))], errors, T0, T0 + Round, 50));
    }

    [Fact]
    public void The_first_round_tells_every_open_error_as_new()
    {
        var errors = new[] { Error("crm:1", "crm", "orders", T0 - TimeSpan.FromDays(3)) };
        var digest = Assert.Single(DigestPolicy.Decide([Follows("ann", ("crm", null))], errors, null, T0, 50));
        Assert.Equal(1, digest.New.Count);
    }

    [Fact]
    public void Errors_still_retrying_or_resolved_without_ever_opening_are_never_told()
    {
        var retrying = Error("crm:1", "crm", "orders", null) with { Status = ErrorStatus.Retrying, RetryUntil = T0 + TimeSpan.FromMinutes(20) };
        var silent = Error("crm:2", "crm", "orders", null, T0 + TimeSpan.FromMinutes(1)) with { Resolution = ErrorResolution.RetrySucceeded };
        Assert.Empty(DigestPolicy.Decide([Follows("ann", ("crm", null))], [retrying, silent], T0, T0 + Round, 50));
        Assert.Empty(DigestPolicy.Decide([Follows("ann", ("crm", null))], [retrying, silent], T0 + Round, T0 + 2 * Round, 50));
    }

    [Fact]
    public void A_round_computed_late_decides_as_of_its_own_time()
    {
        var now = T0 + Round;
        var errors = new[]
        {
            Error("crm:1", "crm", "orders", now + TimeSpan.FromMinutes(1)),                       // opened after the round
            Error("crm:2", "crm", "orders", T0 + TimeSpan.FromMinutes(1), now + TimeSpan.FromMinutes(2)), // resolved after it
        };
        var digest = Assert.Single(DigestPolicy.Decide([Follows("ann", ("crm", null))], errors, T0, now, 50));
        Assert.Equal(["crm:2"], digest.New.Details.Select(e => e.Id));
        Assert.Equal(0, digest.Resolved.Count);
    }

    [Fact]
    public void Details_are_capped_and_counts_are_not()
    {
        var errors = Enumerable.Range(1, 1_234).Select(i => Error($"crm:{i}", "crm", "orders", T0 + TimeSpan.FromMilliseconds(100 * i))).ToList();
        var digest = Assert.Single(DigestPolicy.Decide([Follows("ann", ("crm", null))], errors, T0, T0 + Round, 50));
        Assert.Equal((1_234, 50), (digest.New.Count, digest.New.Details.Count));
        Assert.Equal("crm:1234", digest.New.Details[0].Id);
    }

    [Fact]
    public void The_overflow_error_goes_to_those_following_the_whole_integration()
    {
        var overflow = Error("crm:9", "crm", "", T0 + TimeSpan.FromMinutes(1)) with { Overflow = true };
        var digests = DigestPolicy.Decide([Follows("ann", ("crm", "")), Follows("bob", ("crm", null))], [overflow], T0, T0 + Round, 50);
        Assert.Equal("bob", Assert.Single(digests).Subscriber.UserId);
    }
}
