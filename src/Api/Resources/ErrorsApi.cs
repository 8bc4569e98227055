using Alerts.Api.Auth;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary>
/// <c>/api/v1/orgs/{org_id}/errors</c>: errors as their lifecycle tracks them (SPEC §3) — open, retrying or
/// resolved, repeats folded — a page at a time, and resolving one by hand.
/// </summary>
public static class ErrorsApi
{
    public static RouteGroupBuilder MapErrorsApi(this RouteGroupBuilder api)
    {
        var errors = api.MapGroup("/orgs/{org_id}/errors").WithTags("Errors");
        errors.MapGet("/", ListAsync).WithName("ListErrors").Refusals()
            .WithSummary("Lists errors, latest activity first; ?status=open|retrying|resolved&integration_id=&flow=&limit=1-200&cursor= (cursor: the previous page's next).");
        errors.MapPost("/{error_id}/resolve", ResolveAsync).WithName("ResolveError").Refusals().Takes<ResolveRequest>()
            .WithSummary("Resolves an error by hand: {\"resolved_by\": the user id of an admin of the organization; a key tied to a user resolves as that user}.");
        return api;
    }

    public static async Task<Results<Ok<ErrorListResponse>, ProblemHttpResult>> ListAsync(
        string org_id, IGrainFactory grains, string? status, string? integration_id, string? flow, int? limit, string? cursor)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        ErrorStatus? statusFilter = null;
        if (status is not null)
        {
            if (!ErrorWire.TryParseStatus(status, out var parsed)) return Problems.Invalid("status", "must be open, retrying or resolved");
            statusFilter = parsed;
        }
        if (integration_id is not null && !GrainKeys.IsValidId(integration_id)) return Problems.Invalid("integration_id", IdRules.Problem);
        if (flow is { Length: > AttemptRules.MaxNameLength }) return Problems.Invalid("flow", $"must be at most {AttemptRules.MaxNameLength} characters");
        if (limit is < 1 or > ErrorQuery.MaxLimit) return Problems.Invalid("limit", $"must be between 1 and {ErrorQuery.MaxLimit}");
        if (cursor is not null && ErrorCursor.Decode(cursor) is null)
            return Problems.Invalid("cursor", "is not a cursor this API issued (use the previous page's next)");
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        var page = await org.ListErrorsAsync(new ErrorQuery(statusFilter, integration_id, flow, limit ?? 50, cursor));
        return TypedResults.Ok(new ErrorListResponse(page.Items.Select(TrackedErrorResponse.From).ToList(), page.Next));
    }

    public static async Task<Results<Ok<TrackedErrorResponse>, ProblemHttpResult>> ResolveAsync(
        string org_id, string error_id, HttpRequest request, IGrainFactory grains, System.Security.Claims.ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        if (!ErrorIds.TryParse(error_id, out _, out _))
            return Problems.Invalid("error_id", "must be an error id as the errors API gives it ({integration_id}:{number})");
        var (body, problem) = await JsonBody.ReadAsync<ResolveRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        // A key tied to a user resolves as that user: resolved_by defaults to it, and naming anyone else is refused.
        if (ActingUser.Resolve(caller, body!.ResolvedBy, "resolved_by", "is required (the user id of an admin of the organization)", out var userId) is { } badBy)
            return badBy;
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        var result = await org.ResolveErrorAsync(error_id, userId);
        return result.Status switch
        {
            ResolveStatus.Resolved or ResolveStatus.AlreadyResolved => TypedResults.Ok(TrackedErrorResponse.From(result.Error!)),
            ResolveStatus.NoSuchError => Problems.NotFound("error", error_id),
            ResolveStatus.NoSuchUser => Problems.Invalid("resolved_by", $"'{userId}' is not a user of organization '{org_id}'"),
            _ => Problems.Invalid("resolved_by", $"'{userId}' is a monitor; only an admin resolves errors", StatusCodes.Status403Forbidden),
        };
    }
}

public sealed record ResolveRequest(string? ResolvedBy);

public sealed record TrackedErrorResponse(
    string Id, string Status, string IntegrationId, string Flow, string? TraceKey, int? StatusCode, string? Message, string? Service,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Occurrences, DateTimeOffset? RetryUntil, DateTimeOffset? OpenedAt,
    DateTimeOffset? ResolvedAt, string? Resolution, string? ResolvedBy, bool Overflow)
{
    public static TrackedErrorResponse From(ErrorView error) => new(
        error.Id, error.Status.Wire(), error.IntegrationId, error.Flow, error.TraceKey, error.StatusCode, error.Message, error.Service,
        error.FirstSeen, error.LastSeen, error.Occurrences, error.RetryUntil, error.OpenedAt, error.ResolvedAt, error.Resolution?.Wire(),
        error.ResolvedBy, error.Overflow);
}

public sealed record ErrorListResponse(IReadOnlyList<TrackedErrorResponse> Items, string? Next);
