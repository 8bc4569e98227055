using System.Globalization;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary>
/// <c>/api/v1/orgs/{org_id}/dashboard/…</c> (SPEC §7): failures by type, their change against the previous period, by
/// code, per day, and the failures table with a detail view. <c>period</c> is <c>1d</c>, <c>7d</c> or <c>30d</c> (default);
/// days are UTC days ending today.
/// </summary>
public static class DashboardApi
{
    public static RouteGroupBuilder MapDashboardApi(this RouteGroupBuilder api)
    {
        var dashboard = api.MapGroup("/orgs/{org_id}/dashboard").WithTags("Dashboard");
        dashboard.MapGet("/overview", OverviewAsync).WithName("DashboardOverview").Refusals().WithSummary("Failures per integration type in the period (all five types).");
        dashboard.MapGet("/change", ChangeAsync).WithName("DashboardChange").Refusals()
            .WithSummary("Failed and successful attempts per type and their change in percent against the previous period (null and new: true when it had none).");
        dashboard.MapGet("/errors-by-code", CodesAsync).WithName("DashboardErrorsByCode").Refusals().WithSummary("Failures per status or platform code, with its name.");
        dashboard.MapGet("/trends", TrendsAsync).WithName("DashboardTrends").Refusals().WithSummary("Failures per UTC day per type over the last 30 days: ?type=.");
        dashboard.MapGet("/failures", FailuresAsync).WithName("DashboardFailures").Refusals()
            .WithSummary("The failures table: ?period=&sort=last_seen|total|integration|type&order=desc|asc&type=&limit=50&offset=0.");
        dashboard.MapGet("/failures/{failure_id}", FailureAsync).WithName("DashboardFailure").Refusals()
            .WithSummary("One failure with its recent occurrences and the catalog's guidance for its code and type.");
        return api;
    }

    private static ProblemHttpResult? Check(string orgId, string? period, out DashboardPeriod parsed)
    {
        parsed = DashboardPeriod.ThirtyDays;
        if (!GrainKeys.IsValidId(orgId)) return Problems.Invalid("org_id", IdRules.Problem);
        if (period is not null && !DashboardPeriods.TryParse(period, out parsed)) return Problems.Invalid("period", "must be 1d, 7d or 30d");
        return null;
    }

    /// <summary>The optional <c>type</c> filter; a 400 naming it when it is not an integration type.</summary>
    private static ProblemHttpResult? ParseType(string? type, out IntegrationType? only)
    {
        only = null;
        if (type is null) return null;
        if (!IntegrationTypes.TryParse(type, out var parsed)) return Problems.Invalid("type", $"must be one of {string.Join(", ", IntegrationTypes.WireNames)}");
        only = parsed;
        return null;
    }

    private static IDashboardGrain Dashboard(IGrainFactory grains, string orgId) => grains.GetGrain<IDashboardGrain>(orgId);

    public static async Task<Results<Ok<OverviewResponse>, ProblemHttpResult>> OverviewAsync(string org_id, string? period, IGrainFactory grains)
    {
        if (Check(org_id, period, out var parsed) is { } invalid) return invalid;
        return await Dashboard(grains, org_id).OverviewAsync(parsed) is { } overview
            ? TypedResults.Ok(new OverviewResponse(overview.Period.Wire(), overview.Types.Select(t => new TypeFailuresResponse(t.Type.Wire(), t.Failures)).ToList()))
            : Problems.NotFound("organization", org_id);
    }

    public static async Task<Results<Ok<ChangeResponse>, ProblemHttpResult>> ChangeAsync(string org_id, string? period, IGrainFactory grains)
    {
        if (Check(org_id, period, out var parsed) is { } invalid) return invalid;
        return await Dashboard(grains, org_id).ChangeAsync(parsed) is { } change
            ? TypedResults.Ok(new ChangeResponse(change.Period.Wire(), change.Types.Select(TypeChangeResponse.From).ToList()))
            : Problems.NotFound("organization", org_id);
    }

    public static async Task<Results<Ok<CodesResponse>, ProblemHttpResult>> CodesAsync(string org_id, string? period, IGrainFactory grains)
    {
        if (Check(org_id, period, out var parsed) is { } invalid) return invalid;
        return await Dashboard(grains, org_id).ErrorsByCodeAsync(parsed) is { } codes
            ? TypedResults.Ok(new CodesResponse(codes.Period.Wire(), codes.Codes.Select(c => new CodeFailuresResponse(c.Code, c.Name, c.Failures)).ToList()))
            : Problems.NotFound("organization", org_id);
    }

    public static async Task<Results<Ok<TrendsResponse>, ProblemHttpResult>> TrendsAsync(string org_id, string? type, IGrainFactory grains)
    {
        if (Check(org_id, null, out _) is { } invalid) return invalid;
        if (ParseType(type, out var only) is { } badType) return badType;
        return await Dashboard(grains, org_id).TrendsAsync(only) is { } trends
            ? TypedResults.Ok(new TrendsResponse(
                trends.Days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(),
                trends.Series.Select(s => new SeriesResponse(s.Type.Wire(), s.Failures)).ToList()))
            : Problems.NotFound("organization", org_id);
    }

    public static async Task<Results<Ok<FailuresResponse>, ProblemHttpResult>> FailuresAsync(
        string org_id, string? period, string? sort, string? order, string? type, string? limit, string? offset, IGrainFactory grains)
    {
        if (Check(org_id, period, out var parsed) is { } invalid) return invalid;
        FailureSort by;
        switch (sort)
        {
            case null or "last_seen": by = FailureSort.LastSeen; break;
            case "total": by = FailureSort.Total; break;
            case "integration": by = FailureSort.Integration; break;
            case "type": by = FailureSort.Type; break;
            default: return Problems.Invalid("sort", "must be last_seen, total, integration or type");
        }
        if (order is not (null or "desc" or "asc")) return Problems.Invalid("order", "must be desc or asc");
        if (ParseType(type, out var only) is { } badType) return badType;
        var size = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 200))
            return Problems.Invalid("limit", "must be a whole number from 1 to 200");
        var skip = 0;
        if (offset is not null && (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
            return Problems.Invalid("offset", "must be a whole number, 0 or more");
        var query = new FailureQuery(parsed, by, order != "asc", size, skip, only);
        return await Dashboard(grains, org_id).FailuresAsync(query) is { } page
            ? TypedResults.Ok(new FailuresResponse(parsed.Wire(), page.Items.Select(FailureRowResponse.From).ToList(), page.Total, page.NextOffset))
            : Problems.NotFound("organization", org_id);
    }

    public static async Task<Results<Ok<FailureDetailResponse>, ProblemHttpResult>> FailureAsync(string org_id, string failure_id, IGrainFactory grains)
    {
        if (Check(org_id, null, out _) is { } invalid) return invalid;
        if (failure_id.Length is 0 or > 300) return Problems.Invalid("failure_id", "must be a failure id from the failures table");
        if (await grains.GetOrganization(org_id).GetAsync() is null) return Problems.NotFound("organization", org_id);
        return await Dashboard(grains, org_id).FailureAsync(failure_id) is { } detail
            ? TypedResults.Ok(new FailureDetailResponse(FailureRowResponse.From(detail.Failure),
                detail.RecentOccurrences.Select(o => new OccurrenceResponse(o.EventId, o.OccurredAt, o.StatusCode, o.Message, o.Flow, o.Service, o.TraceKey)).ToList(),
                detail.CodeName, detail.Guidance))
            : Problems.NotFound("failure", failure_id);
    }
}

public sealed record TypeFailuresResponse(string Type, long Failures);

public sealed record OverviewResponse(string Period, IReadOnlyList<TypeFailuresResponse> Types);

public sealed record TypeChangeResponse(
    string Type, long Failed, long Succeeded, long PreviousFailed, long PreviousSucceeded, double? FailedChangePct, double? SucceededChangePct,
    bool FailedIsNew, bool SucceededIsNew)
{
    public static TypeChangeResponse From(TypeChange c) => new(
        c.Type.Wire(), c.Failed, c.Succeeded, c.PreviousFailed, c.PreviousSucceeded, c.FailedChangePct, c.SucceededChangePct, c.FailedIsNew, c.SucceededIsNew);
}

public sealed record ChangeResponse(string Period, IReadOnlyList<TypeChangeResponse> Types);

public sealed record CodeFailuresResponse(int? Code, string Name, long Failures);

public sealed record CodesResponse(string Period, IReadOnlyList<CodeFailuresResponse> Codes);

public sealed record SeriesResponse(string Type, IReadOnlyList<long> Failures);

public sealed record TrendsResponse(IReadOnlyList<string> Days, IReadOnlyList<SeriesResponse> Series);

public sealed record FailureRowResponse(
    string Id, string Type, string IntegrationId, string IntegrationName, string Description, string? Service, string Flow, int? StatusCode,
    long Total, DateTimeOffset LastSeen, string Status)
{
    public static FailureRowResponse From(FailureRow r) => new(
        r.Id, r.Type.Wire(), r.IntegrationId, r.IntegrationName, r.Description, r.Service, r.Flow, r.StatusCode, r.Total, r.LastSeen, r.Status.Wire());
}

public sealed record FailuresResponse(string Period, IReadOnlyList<FailureRowResponse> Items, int Total, int? NextOffset);

public sealed record OccurrenceResponse(string EventId, DateTimeOffset OccurredAt, int? StatusCode, string? Message, string? Flow, string? Service, string? TraceKey);

public sealed record FailureDetailResponse(FailureRowResponse Failure, IReadOnlyList<OccurrenceResponse> RecentOccurrences, string? CodeName, string? Guidance);
