namespace Alerts.Contracts;

/// <summary>SPEC §3: where an error is in its lifecycle.</summary>
[GenerateSerializer, Alias("alerts.error-status")]
public enum ErrorStatus
{
    /// <summary>Reported with <c>retrying: true</c> and held for the retry window; not yet told to anyone.</summary>
    Retrying = 0,
    Open = 1,
    Resolved = 2,
}

/// <summary>Why an error was resolved.</summary>
[GenerateSerializer, Alias("alerts.error-resolution")]
public enum ErrorResolution
{
    /// <summary>A newer error with the same trace key in the same flow (and another status code) replaced it.</summary>
    Superseded = 0,
    /// <summary>A success for the same flow and trace key arrived within its retry window: it was never open.</summary>
    RetrySucceeded = 1,
    /// <summary>An admin resolved it by hand.</summary>
    Manual = 2,
}

public static class ErrorWire
{
    public static string Wire(this ErrorStatus status) => status switch
    {
        ErrorStatus.Retrying => "retrying",
        ErrorStatus.Open => "open",
        ErrorStatus.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string Wire(this ErrorResolution resolution) => resolution switch
    {
        ErrorResolution.Superseded => "superseded",
        ErrorResolution.RetrySucceeded => "retry_succeeded",
        ErrorResolution.Manual => "manual",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution)),
    };

    public static bool TryParseStatus(string? wire, out ErrorStatus status) => WireNames.TryParse(wire, Wire, out status);
}

/// <summary>
/// One error as its lifecycle tracks it: the repeats of the same problem (same integration, flow, trace key and status
/// code) are folded into it. Times: <see cref="FirstSeen"/>/<see cref="LastSeen"/> are when it occurred;
/// <see cref="OpenedAt"/>/<see cref="ResolvedAt"/> when Alerts learned it opened or resolved (what digests go by).
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.error-view")]
public sealed record ErrorView(
    [property: Id(0)] string Id,
    [property: Id(1)] string IntegrationId,
    [property: Id(2)] string Flow,
    [property: Id(3)] string? TraceKey,
    [property: Id(4)] int? StatusCode,
    [property: Id(5)] string? Message,
    [property: Id(6)] string? Service,
    [property: Id(7)] ErrorStatus Status,
    [property: Id(8)] DateTimeOffset FirstSeen,
    [property: Id(9)] DateTimeOffset LastSeen,
    [property: Id(10)] long Occurrences,
    [property: Id(11)] DateTimeOffset? RetryUntil,
    [property: Id(12)] DateTimeOffset? OpenedAt,
    [property: Id(13)] DateTimeOffset? ResolvedAt,
    [property: Id(14)] ErrorResolution? Resolution,
    [property: Id(15)] string? ResolvedBy,
    [property: Id(16)] bool Overflow = false);

/// <summary>A page of <c>GET …/errors</c>: newest activity first; <see cref="Cursor"/> is the previous page's <c>next</c>.</summary>
[GenerateSerializer, Immutable, Alias("alerts.error-query")]
public sealed record ErrorQuery(
    [property: Id(0)] ErrorStatus? Status = null,
    [property: Id(1)] string? IntegrationId = null,
    [property: Id(2)] string? Flow = null,
    [property: Id(3)] int Limit = 50,
    [property: Id(4)] string? Cursor = null)
{
    public const int MaxLimit = 200;
}

[GenerateSerializer, Immutable, Alias("alerts.error-page")]
public sealed record ErrorPage(
    [property: Id(0)] IReadOnlyList<ErrorView> Items,
    [property: Id(1)] string? Next);

[GenerateSerializer, Alias("alerts.resolve-status")]
public enum ResolveStatus
{
    Resolved = 0,
    /// <summary>It was resolved before; nothing changed.</summary>
    AlreadyResolved = 1,
    NoSuchError = 2,
    NoSuchUser = 3,
    /// <summary>SPEC §3.6: only an admin resolves errors by hand.</summary>
    NotAdmin = 4,
}

[GenerateSerializer, Immutable, Alias("alerts.resolve-result")]
public sealed record ResolveResult(
    [property: Id(0)] ResolveStatus Status,
    [property: Id(1)] ErrorView? Error);

/// <summary>
/// The order of <c>GET …/errors</c> — latest activity first (resolution, else last occurrence), then by id — and its
/// cursors, which name the last item of a page.
/// </summary>
public static class ErrorCursor
{
    public static (long Ticks, string Id) Of(ErrorView error) => ((error.ResolvedAt ?? error.LastSeen).UtcTicks, error.Id);

    /// <summary>Negative when <paramref name="error"/> comes before the position.</summary>
    public static int Compare(ErrorView error, (long Ticks, string Id) position)
    {
        var (ticks, id) = Of(error);
        if (ticks != position.Ticks) return ticks > position.Ticks ? -1 : 1;
        return string.CompareOrdinal(id, position.Id);
    }

    public static string Encode(ErrorView error)
    {
        var (ticks, id) = Of(error);
        return NotificationCursor.Encode(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"e:{ticks}:{id}"));
    }

    public static (long Ticks, string Id)? Decode(string cursor)
    {
        var parts = NotificationCursor.DecodeText(cursor)?.Split(':', 3);
        if (parts is not { Length: 3 } || parts[0] != "e"
            || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)) return null;
        return (ticks, parts[2]);
    }
}

/// <summary>Error ids are <c>{integration_id}:{number}</c>: the number part never holds ':', so the last one splits them.</summary>
public static class ErrorIds
{
    public static string Format(string integrationId, long number) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{integrationId}:{number}");

    /// <summary>False unless the id is a valid integration id, ':' and a positive number.</summary>
    public static bool TryParse(string errorId, out string integrationId, out long number)
    {
        var colon = errorId.LastIndexOf(':');
        integrationId = colon > 0 ? errorId[..colon] : "";
        number = 0;
        return colon > 0 && GrainKeys.IsValidId(integrationId)
            && long.TryParse(errorId.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number)
            && number > 0;
    }
}
