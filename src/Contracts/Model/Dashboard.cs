namespace Alerts.Contracts;

/// <summary>SPEC §7: a dashboard period of whole UTC days ending today (<c>1d</c> is today).</summary>
[GenerateSerializer, Alias("alerts.dashboard-period")]
public enum DashboardPeriod
{
    OneDay = 1,
    SevenDays = 7,
    ThirtyDays = 30,
}

public static class DashboardPeriods
{
    public static string Wire(this DashboardPeriod period) => period switch
    {
        DashboardPeriod.OneDay => "1d",
        DashboardPeriod.SevenDays => "7d",
        DashboardPeriod.ThirtyDays => "30d",
        _ => throw new ArgumentOutOfRangeException(nameof(period)),
    };

    public static bool TryParse(string? wire, out DashboardPeriod period) => WireNames.TryParse(wire, Wire, out period);

    public static int Days(this DashboardPeriod period) => (int)period;
}

[GenerateSerializer, Immutable, Alias("alerts.type-failures")]
public sealed record TypeFailures(
    [property: Id(0)] IntegrationType Type,
    [property: Id(1)] long Failures);

/// <summary>SPEC §7.1: failures per type in the period, all five types (zeros included).</summary>
[GenerateSerializer, Immutable, Alias("alerts.dashboard-overview")]
public sealed record DashboardOverview(
    [property: Id(0)] DashboardPeriod Period,
    [property: Id(1)] IReadOnlyList<TypeFailures> Types);

/// <summary>
/// SPEC §7.2: a type's failed and successful attempts in the period and their change against the period before, in
/// percent (one decimal); null with <c>New</c> set when the period before had none (not an infinite increase).
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.type-change")]
public sealed record TypeChange(
    [property: Id(0)] IntegrationType Type,
    [property: Id(1)] long Failed,
    [property: Id(2)] long Succeeded,
    [property: Id(3)] long PreviousFailed,
    [property: Id(4)] long PreviousSucceeded,
    [property: Id(5)] double? FailedChangePct,
    [property: Id(6)] double? SucceededChangePct,
    [property: Id(7)] bool FailedIsNew,
    [property: Id(8)] bool SucceededIsNew);

[GenerateSerializer, Immutable, Alias("alerts.dashboard-change")]
public sealed record DashboardChange(
    [property: Id(0)] DashboardPeriod Period,
    [property: Id(1)] IReadOnlyList<TypeChange> Types);

/// <summary>SPEC §7.3: failures per code (null: reported without one), with the code's name.</summary>
[GenerateSerializer, Immutable, Alias("alerts.code-failures")]
public sealed record CodeFailures(
    [property: Id(0)] int? Code,
    [property: Id(1)] string Name,
    [property: Id(2)] long Failures);

[GenerateSerializer, Immutable, Alias("alerts.dashboard-codes")]
public sealed record DashboardCodes(
    [property: Id(0)] DashboardPeriod Period,
    [property: Id(1)] IReadOnlyList<CodeFailures> Codes);

[GenerateSerializer, Immutable, Alias("alerts.type-series")]
public sealed record TypeSeries(
    [property: Id(0)] IntegrationType Type,
    [property: Id(1)] IReadOnlyList<long> Failures);

/// <summary>SPEC §7.4: failures per UTC day per type over the last 30 days (oldest first, today last).</summary>
[GenerateSerializer, Immutable, Alias("alerts.dashboard-trends")]
public sealed record DashboardTrends(
    [property: Id(0)] IReadOnlyList<DateOnly> Days,
    [property: Id(1)] IReadOnlyList<TypeSeries> Series);

/// <summary>SPEC §7.5: a row of the failures table — one tracked error (repeats folded) of an integration.</summary>
[GenerateSerializer, Immutable, Alias("alerts.failure-row")]
public sealed record FailureRow(
    [property: Id(0)] string Id,
    [property: Id(1)] IntegrationType Type,
    [property: Id(2)] string IntegrationId,
    [property: Id(3)] string IntegrationName,
    [property: Id(4)] string Description,
    [property: Id(5)] string? Service,
    [property: Id(6)] string Flow,
    [property: Id(7)] int? StatusCode,
    [property: Id(8)] long Total,
    [property: Id(9)] DateTimeOffset LastSeen,
    [property: Id(10)] ErrorStatus Status);

[GenerateSerializer, Alias("alerts.failure-sort")]
public enum FailureSort
{
    LastSeen = 0,
    Total = 1,
    Integration = 2,
    Type = 3,
}

[GenerateSerializer, Immutable, Alias("alerts.failure-query")]
public sealed record FailureQuery(
    [property: Id(0)] DashboardPeriod Period = DashboardPeriod.ThirtyDays,
    [property: Id(1)] FailureSort Sort = FailureSort.LastSeen,
    [property: Id(2)] bool Descending = true,
    [property: Id(3)] int Limit = 50,
    [property: Id(4)] int Offset = 0,
    [property: Id(5)] IntegrationType? Type = null);

[GenerateSerializer, Immutable, Alias("alerts.failure-page")]
public sealed record FailurePage(
    [property: Id(0)] IReadOnlyList<FailureRow> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] int? NextOffset);

/// <summary>A failure with its latest occurrences the integration keeps, and the catalog's guidance for its code and type.</summary>
[GenerateSerializer, Immutable, Alias("alerts.failure-detail")]
public sealed record FailureDetail(
    [property: Id(0)] FailureRow Failure,
    [property: Id(1)] IReadOnlyList<ErrorDetail> RecentOccurrences,
    [property: Id(2)] string? CodeName,
    [property: Id(3)] string? Guidance);

/// <summary>SPEC §7 for one organization, served from its integrations' daily counts and tracked errors.</summary>
public interface IDashboardGrain : IGrainWithStringKey
{
    /// <summary>Null when the organization does not exist (as for every query here).</summary>
    Task<DashboardOverview?> OverviewAsync(DashboardPeriod period);

    Task<DashboardChange?> ChangeAsync(DashboardPeriod period);

    Task<DashboardCodes?> ErrorsByCodeAsync(DashboardPeriod period);

    Task<DashboardTrends?> TrendsAsync(IntegrationType? type);

    Task<FailurePage?> FailuresAsync(FailureQuery query);

    /// <summary>Null when the organization or the failure does not exist.</summary>
    Task<FailureDetail?> FailureAsync(string failureId);
}
