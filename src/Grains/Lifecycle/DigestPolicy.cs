using Alerts.Contracts;

namespace Alerts.Grains.Lifecycle;

/// <summary>A scope a user follows: all flows of an integration (<see cref="Flow"/> null) or one flow, and since when.</summary>
public sealed record DigestScope(string IntegrationId, string? Flow, DateTimeOffset Since);

public sealed record DigestSubscriber(string UserId, string Email, IReadOnlyList<DigestScope> Scopes);

/// <summary>One section of a digest: how many, and the first details (newest first).</summary>
public sealed record DigestSection(int Count, IReadOnlyList<ErrorView> Details);

public sealed record UserDigest(DigestSubscriber Subscriber, DigestSection New, DigestSection Resolved, DigestSection Open);

/// <summary>
/// Who is told what in a digest round (SPEC §3.3–3.5), pure. A round at <c>now</c> follows the one at <c>previous</c>
/// (null: the first). For a user and an error in a scope they follow, the error became visible to them when it opened
/// or when they started following the scope, whichever was later:
/// <list type="bullet">
/// <item><b>new</b>: open now and visible to them only since the previous round;</item>
/// <item><b>resolved</b>: resolved since the previous round, and visible to them as open before it — so they were
/// told it was open. An error that opened and resolved between two rounds is in neither;</item>
/// <item><b>still open</b>: every error open now in their scopes.</item>
/// </list>
/// A user with nothing new and nothing resolved gets no digest. Times are when Alerts learned of an opening or a
/// resolution, so a round decides the same way whenever it is computed for the same two instants.
/// </summary>
public static class DigestPolicy
{
    public const int DefaultMaxDetails = 50;

    public static List<UserDigest> Decide(
        IReadOnlyList<DigestSubscriber> subscribers, IReadOnlyList<ErrorView> errors, DateTimeOffset? previous, DateTimeOffset now, int maxDetails)
    {
        var digests = new List<UserDigest>();
        foreach (var subscriber in subscribers)
        {
            var fresh = new List<ErrorView>();
            var resolved = new List<ErrorView>();
            var open = new List<ErrorView>();
            foreach (var error in errors)
            {
                if (error.OpenedAt is not { } openedAt || openedAt > now) continue;
                if (FollowedSince(subscriber, error) is not { } since) continue;
                var visibleFrom = openedAt > since ? openedAt : since;
                var openNow = error.ResolvedAt is not { } resolvedAt || resolvedAt > now;
                if (openNow)
                {
                    open.Add(error);
                    if (previous is null || visibleFrom > previous) fresh.Add(error);
                }
                else if (previous is { } before && error.ResolvedAt > before && visibleFrom <= before)
                {
                    resolved.Add(error);
                }
            }
            if (fresh.Count == 0 && resolved.Count == 0) continue;
            digests.Add(new UserDigest(
                subscriber,
                Section(fresh, error => error.OpenedAt!.Value, maxDetails),
                Section(resolved, error => error.ResolvedAt!.Value, maxDetails),
                Section(open, error => error.LastSeen, maxDetails)));
        }
        return digests;
    }

    /// <summary>The earliest time the subscriber followed a scope holding the error; null when none does.</summary>
    public static DateTimeOffset? FollowedSince(DigestSubscriber subscriber, ErrorView error)
    {
        DateTimeOffset? since = null;
        foreach (var scope in subscriber.Scopes)
        {
            if (scope.IntegrationId != error.IntegrationId) continue;
            // The overflow error stands for errors of any flow: it is told to those following the whole integration.
            if (scope.Flow is not null && (error.Overflow || scope.Flow != error.Flow)) continue;
            if (since is null || scope.Since < since) since = scope.Since;
        }
        return since;
    }

    private static DigestSection Section(List<ErrorView> errors, Func<ErrorView, DateTimeOffset> newest, int maxDetails) =>
        new(errors.Count, errors
            .OrderByDescending(newest)
            .ThenBy(error => error.Id, StringComparer.Ordinal)
            .Take(maxDetails)
            .ToList());
}
