using Alerts.Contracts;

namespace Alerts.Grains.Mutes;

/// <summary>What a mute must be (issue 22, item 2), pure: each problem names its field.</summary>
public static class MuteRules
{
    public const int MaxReasonLength = 200;
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(366);

    public const string Organization = "organization", Outgoing = "outgoing", Incoming = "incoming";
    public const string IntegrationPrefix = "integration:", ConnectionPrefix = "connection:";

    /// <summary>The spec's problem, if any; <paramref name="exists"/> says whether a scope's integration or connection is there.</summary>
    public static (string Field, string Problem)? Check(MuteSpec spec, DateTimeOffset now, Func<string, bool> exists)
    {
        if (CheckScope(spec.Scope, exists) is { } scope) return scope;
        if (string.IsNullOrWhiteSpace(spec.Reason)) return ("reason", "is required: say why, e.g. \"CRM migration\"");
        if (spec.Reason.Length > MaxReasonLength) return ("reason", $"must be at most {MaxReasonLength} characters");
        return CheckTimes(spec, now);
    }

    public static (string Field, string Problem)? CheckTimes(MuteSpec spec, DateTimeOffset now)
    {
        if (spec.Weekly is { } weekly)
        {
            if (weekly.Days.Count == 0) return ("weekly.days", "must name at least one day (mon … sun)");
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(weekly.TimeZone, out _)) return ("weekly.time_zone", $"'{weekly.TimeZone}' is not a known time zone (an IANA name, e.g. Europe/Berlin)");
        }
        else
        {
            if (spec.EndsAt is null) return ("ends_at", "is required (or a weekly window)");
            if (spec.StartsAt is null) return ("starts_at", "is required (or a weekly window)");
        }
        if (spec.StartsAt is { } start && spec.EndsAt is { } end)
        {
            if (end <= start) return ("ends_at", "must be after starts_at");
            if (spec.Weekly is null && end - start > LongestWindow) return ("ends_at", "must be at most 366 days after starts_at (use a weekly window for a routine)");
        }
        if (spec.EndsAt is { } ends && ends <= now) return ("ends_at", "must be in the future");
        return null;
    }

    private static (string Field, string Problem)? CheckScope(string scope, Func<string, bool> exists)
    {
        if (scope is Organization or Outgoing or Incoming) return null;
        if (scope.StartsWith(IntegrationPrefix, StringComparison.Ordinal) || scope.StartsWith(ConnectionPrefix, StringComparison.Ordinal))
        {
            var id = scope[(scope.IndexOf(':') + 1)..];
            if (!GrainKeys.IsValidId(id)) return ("scope", $"'{id}' is not a valid id");
            return exists(scope) ? null : ("scope", $"'{scope}' is not an integration or connection of this organization");
        }
        return ("scope", "must be organization, outgoing, incoming, integration:{id} or connection:{id}");
    }

    /// <summary>Whether a mute of this scope silences threshold alerts of <paramref name="direction"/>.</summary>
    public static bool CoversDirection(string scope, Direction direction) =>
        scope == Organization || scope == direction.Wire();

    /// <summary>The integration a scope names (its errors are left out of the threshold count while muted), if any.</summary>
    public static string? IntegrationOf(string scope) =>
        scope.StartsWith(IntegrationPrefix, StringComparison.Ordinal) ? scope[IntegrationPrefix.Length..] : null;

    /// <summary>Whether a mute of this scope holds the notices of a connection.</summary>
    public static bool CoversConnection(string scope, string connectionId) =>
        scope == Organization || scope == ConnectionPrefix + connectionId;
}
