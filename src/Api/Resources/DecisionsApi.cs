using Alerts.Api.Auth;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary>
/// <c>/api/v1/orgs/{org_id}/decisions</c> (issue 22): "why was I (not) alerted?" — every threshold evaluation the
/// directions' decision logs kept, newest first, each explained for a user when one is named.
/// </summary>
public static class DecisionsApi
{
    public static RouteGroupBuilder MapDecisionsApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/orgs/{org_id}/decisions").WithTags("Notifications")
            .MapGet("/", ListAsync).WithName("ListThresholdDecisions").Refusals()
            .WithSummary("What the threshold evaluations came to (fired, cooldown, below_limit, inactive, muted), newest first, for the last 7 days " +
                "(at most 100 entries per direction); ?direction=outgoing|incoming&limit=1-200&user_id= explains each for that user.");
        // A key tied to a user tests only its own address; monitors may test theirs.
        api.MapPost("/orgs/{org_id}/users/{user_id}/test-notification", SendTestAsync).WithTags("Notifications").WithName("SendTestNotification")
            .Refusals().Personal().Needs(Access.Read)
            .WithSummary("Sends the user a notification marked as a test through the real pipeline (outbox, pacing, retries, the notification log).");
        return api;
    }

    public static async Task<Results<Accepted<TestNotificationResponse>, ProblemHttpResult>> SendTestAsync(string org_id, string user_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, user_id, "user_id") is { } invalid) return invalid;
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        return await org.SendTestNotificationAsync(user_id) is { } id
            ? TypedResults.Accepted($"/api/v1/orgs/{org_id}/notifications/{id}", new TestNotificationResponse(id))
            : Problems.NotFound("user", user_id);
    }

    public static async Task<Results<Ok<DecisionListResponse>, ProblemHttpResult>> ListAsync(
        string org_id, string? direction, int? limit, string? user_id, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        Direction? only = null;
        if (direction is not null)
        {
            if (direction is not ("outgoing" or "incoming")) return Problems.Invalid("direction", "must be outgoing or incoming");
            only = direction == "outgoing" ? Direction.Outgoing : Direction.Incoming;
        }
        if (limit is < 1 or > 200) return Problems.Invalid("limit", "must be between 1 and 200");
        if (user_id is not null && !GrainKeys.IsValidId(user_id)) return Problems.Invalid("user_id", IdRules.Problem);
        var org = grains.GetOrganization(org_id);
        if (user_id is not null && await org.GetUserAsync(user_id) is null)
            return await org.GetAsync() is null ? Problems.NotFound("organization", org_id) : Problems.NotFound("user", user_id);
        if (await org.DecisionsAsync(new DecisionQuery(only, user_id, limit ?? 50)) is not { } decisions) return Problems.NotFound("organization", org_id);
        return TypedResults.Ok(new DecisionListResponse(decisions.Select(DecisionResponse.Of).ToList()));
    }
}

/// <param name="From">The first evaluation of the entry; <paramref name="At"/> the latest (evaluations in a row with one outcome are one entry).</param>
/// <param name="Errors">Counted at the latest evaluation: in the interval, or since the last alert while cooling down.</param>
/// <param name="ForUser">With <c>?user_id=</c>: whether that user was notified, and why (not).</param>
/// <param name="MuteId">For <c>muted</c>: the mute that held the alert back, in force until <paramref name="MutedUntil"/>.</param>
public sealed record DecisionResponse(
    string Direction, DateTimeOffset From, DateTimeOffset At, string Outcome, int Errors, bool Exact, int Limit, string? Interval,
    DateTimeOffset? CooldownEndsAt, int Evaluations, string? NotificationId, string Summary, DecisionForUserResponse? ForUser,
    string? MuteId, DateTimeOffset? MutedUntil)
{
    public static DecisionResponse Of(DecisionView view) => new(
        view.Direction.Wire(), view.From, view.At, view.Outcome.Wire(), view.Errors, view.Exact, view.Limit, view.Interval?.Wire(),
        view.CooldownEndsAt, view.Evaluations, view.NotificationId, view.Summary,
        view.ForUser is { } user ? new DecisionForUserResponse(user.Notified, user.Reason) : null, view.MuteId, view.MutedUntil);
}

public sealed record DecisionForUserResponse(bool Notified, string Reason);

public sealed record DecisionListResponse(IReadOnlyList<DecisionResponse> Items);

public sealed record TestNotificationResponse(string NotificationId);
