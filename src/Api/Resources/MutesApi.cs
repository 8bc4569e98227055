using System.Globalization;
using System.Security.Claims;
using Alerts.Api.Auth;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary>
/// <c>/api/v1/orgs/{org_id}/mutes</c> (issue 22, item 2): mute windows — while one is in force its scope's threshold
/// alerts are not sent (errors are still counted) and its connections' notices are held; what still matters when it ends
/// is told once. Listed, changed and ended early, each change with who made it.
/// </summary>
public static class MutesApi
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static RouteGroupBuilder MapMutesApi(this RouteGroupBuilder api)
    {
        var mutes = api.MapGroup("/orgs/{org_id}/mutes").WithTags("Mutes");
        mutes.MapPost("/", CreateAsync).WithName("CreateMute").Refusals().Takes<MuteRequestBody>()
            .WithSummary("Mutes a scope (organization, outgoing, incoming, integration:{id}, connection:{id}) from starts_at (default now) to ends_at, " +
                "or weekly (days, start, end, time_zone); reason and created_by (a key tied to a user: that user) are required.");
        mutes.MapGet("/", ListAsync).WithName("ListMutes").Refusals().WithSummary("Lists the mutes not yet over and the latest 20 that are, newest first.");
        mutes.MapGet("/{mute_id}", GetAsync).WithName("GetMute").Refusals().WithSummary("Reads a mute with its audit trail.");
        mutes.MapPatch("/{mute_id}", PatchAsync).WithName("PatchMute").Refusals().Takes<MutePatchBody>()
            .WithSummary("Moves a mute's starts_at or ends_at, or changes its reason (changed_by names who).");
        mutes.MapPost("/{mute_id}/end", EndAsync).WithName("EndMute").Refusals().Takes<MuteEndBody>()
            .WithSummary("Ends a mute now (ended_by names who): anything still over its limit, or a connection in a new state, is told at once.");
        return api;
    }

    public static async Task<Results<Created<MuteResponse>, ProblemHttpResult>> CreateAsync(
        string org_id, HttpRequest request, IGrainFactory grains, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var (body, problem) = await JsonBody.ReadAsync<MuteRequestBody>(request, cancellationToken);
        if (problem is not null) return problem;
        if (string.IsNullOrEmpty(body!.Scope)) return Problems.Invalid("scope", "is required: organization, outgoing, incoming, integration:{id} or connection:{id}");
        if (By(caller, body.CreatedBy, "created_by", out var by) is { } badBy) return badBy;
        WeeklyWindow? weekly = null;
        if (body.Weekly is { } given && ReadWeekly(given, out weekly) is { } badWeekly) return badWeekly;
        var spec = new MuteSpec(body.Scope, body.StartsAt, body.EndsAt, weekly, body.Reason ?? "");
        return await grains.GetGrain<IOrganizationMutes>(org_id).CreateMuteAsync(spec, by!) is { } view
            ? TypedResults.Created($"/api/v1/orgs/{org_id}/mutes/{view.Id}", MuteResponse.Of(view))
            : Problems.NotFound("organization", org_id);
    }

    public static async Task<Results<Ok<MuteListResponse>, ProblemHttpResult>> ListAsync(string org_id, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        return await grains.GetGrain<IOrganizationMutes>(org_id).ListMutesAsync() is { } views
            ? TypedResults.Ok(new MuteListResponse(views.Select(MuteResponse.Of).ToList()))
            : Problems.NotFound("organization", org_id);
    }

    public static async Task<Results<Ok<MuteResponse>, ProblemHttpResult>> GetAsync(string org_id, string mute_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, mute_id, "mute_id") is { } invalid) return invalid;
        return await grains.GetGrain<IOrganizationMutes>(org_id).GetMuteAsync(mute_id) is { } view
            ? TypedResults.Ok(MuteResponse.Of(view))
            : Problems.NotFound("mute", mute_id);
    }

    public static async Task<Results<Ok<MuteResponse>, ProblemHttpResult>> PatchAsync(
        string org_id, string mute_id, HttpRequest request, IGrainFactory grains, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (Ids.Check(org_id, mute_id, "mute_id") is { } invalid) return invalid;
        var (body, problem) = await JsonBody.ReadAsync<MutePatchBody>(request, cancellationToken);
        if (problem is not null) return problem;
        if (By(caller, body!.ChangedBy, "changed_by", out var by) is { } badBy) return badBy;
        return await grains.GetGrain<IOrganizationMutes>(org_id).UpdateMuteAsync(mute_id, new MutePatch(body.StartsAt, body.EndsAt, body.Reason), by!) is { } view
            ? TypedResults.Ok(MuteResponse.Of(view))
            : Problems.NotFound("mute", mute_id);
    }

    public static async Task<Results<Ok<MuteResponse>, ProblemHttpResult>> EndAsync(
        string org_id, string mute_id, HttpRequest request, IGrainFactory grains, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (Ids.Check(org_id, mute_id, "mute_id") is { } invalid) return invalid;
        // No body is fine for a key tied to a user (it ends the mute as that user).
        var (body, problem) = request.ContentLength is null or 0 && string.IsNullOrEmpty(request.ContentType)
            ? (new MuteEndBody(null), null)
            : await JsonBody.ReadAsync<MuteEndBody>(request, cancellationToken);
        if (problem is not null) return problem;
        if (By(caller, body!.EndedBy, "ended_by", out var by) is { } badBy) return badBy;
        return await grains.GetGrain<IOrganizationMutes>(org_id).EndMuteAsync(mute_id, by!) is { } view
            ? TypedResults.Ok(MuteResponse.Of(view))
            : Problems.NotFound("mute", mute_id);
    }

    private static ProblemHttpResult? By(ClaimsPrincipal caller, string? named, string field, out string? by)
    {
        var problem = ActingUser.Resolve(caller, named, field, "is required (the user id of the organization's user making the change)", out var userId);
        by = userId;
        return problem;
    }

    private static ProblemHttpResult? ReadWeekly(WeeklyRequestBody given, out WeeklyWindow? weekly)
    {
        weekly = null;
        var days = new List<DayOfWeek>();
        foreach (var (day, i) in (given.Days ?? []).Select((d, i) => (d, i)))
        {
            var index = Array.IndexOf(DayNames, day?.ToLowerInvariant());
            if (index < 0) return Problems.Invalid($"weekly.days[{i}]", "must be one of mon, tue, wed, thu, fri, sat, sun");
            if (!days.Contains((DayOfWeek)index)) days.Add((DayOfWeek)index);
        }
        if (!TimeOnly.TryParseExact(given.Start ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            return Problems.Invalid("weekly.start", "must be a local time as HH:mm, e.g. 22:00");
        if (!TimeOnly.TryParseExact(given.End ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
            return Problems.Invalid("weekly.end", "must be a local time as HH:mm, e.g. 02:00 (before the start: the next day)");
        if (string.IsNullOrEmpty(given.TimeZone)) return Problems.Invalid("weekly.time_zone", "is required (an IANA name, e.g. Europe/Berlin)");
        weekly = new WeeklyWindow(days, start, end, given.TimeZone);
        return null;
    }

    public static string DayName(DayOfWeek day) => DayNames[(int)day];
}

/// <param name="Scope">organization, outgoing, incoming, integration:{id} or connection:{id}.</param>
/// <param name="StartsAt">Default: now (a one-off window); with <paramref name="Weekly"/>, when the routine begins.</param>
/// <param name="EndsAt">Required for a one-off window; with <paramref name="Weekly"/>, when the routine stops.</param>
public sealed record MuteRequestBody(
    string? Scope, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, WeeklyRequestBody? Weekly, string? Reason, string? CreatedBy);

/// <param name="Days">mon … sun.</param>
/// <param name="Start">Local HH:mm.</param>
/// <param name="End">Local HH:mm; at or before <paramref name="Start"/>: the next day.</param>
/// <param name="TimeZone">An IANA name, e.g. Europe/Berlin.</param>
public sealed record WeeklyRequestBody(IReadOnlyList<string?>? Days, string? Start, string? End, string? TimeZone);

public sealed record MutePatchBody(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Reason, string? ChangedBy);

public sealed record MuteEndBody(string? EndedBy);

public sealed record WeeklyResponse(IReadOnlyList<string> Days, string Start, string End, string TimeZone);

public sealed record MuteAuditResponse(DateTimeOffset At, string By, string Action, string Detail);

/// <param name="Active">In force now, until <paramref name="ActiveUntil"/>; otherwise <paramref name="NextStart"/> says when it next is.</param>
public sealed record MuteResponse(
    string Id, string Scope, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, WeeklyResponse? Weekly, string Reason, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, string? EndedBy, bool Active, DateTimeOffset? ActiveUntil, DateTimeOffset? NextStart,
    IReadOnlyList<MuteAuditResponse> Audit)
{
    public static MuteResponse Of(MuteView view) => new(
        view.Id, view.Spec.Scope, view.Spec.StartsAt, view.Spec.EndsAt,
        view.Spec.Weekly is { } weekly
            ? new WeeklyResponse(weekly.Days.Select(MutesApi.DayName).ToList(), weekly.Start.ToString("HH:mm", CultureInfo.InvariantCulture),
                weekly.End.ToString("HH:mm", CultureInfo.InvariantCulture), weekly.TimeZone)
            : null,
        view.Spec.Reason, view.CreatedBy, view.CreatedAt, view.EndedAt, view.EndedBy, view.ActiveNow, view.ActiveUntil, view.NextStart,
        view.Audit.Select(a => new MuteAuditResponse(a.At, a.By, a.Action, a.Detail)).ToList());
}

public sealed record MuteListResponse(IReadOnlyList<MuteResponse> Items);
