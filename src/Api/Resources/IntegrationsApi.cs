using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary><c>/api/v1/orgs/{org_id}/integrations</c>: what an organization runs; its type gives the direction (SPEC §2).</summary>
public static class IntegrationsApi
{
    public static RouteGroupBuilder MapIntegrationsApi(this RouteGroupBuilder api)
    {
        var integrations = api.MapGroup("/orgs/{org_id}/integrations").WithTags("Integrations");
        integrations.MapGet("/", ListAsync).WithName("ListIntegrations").Refusals().WithSummary("Lists an organization's integrations by id, a page at a time: " + Paging.Help + ".");
        integrations.MapGet("/{integration_id}", GetAsync).WithName("GetIntegration").Refusals().WithSummary("Reads an integration with its counts and latest errors.");
        integrations.MapPut("/{integration_id}", PutAsync).WithName("PutIntegration").Refusals().Takes<IntegrationRequest>().WithSummary("Registers or updates an integration.");
        return api;
    }

    public static async Task<Results<Ok<IntegrationListResponse>, ProblemHttpResult>> ListAsync(string org_id, int? limit, string? cursor, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        if (Paging.Parse(limit, cursor, out var query) is { } badPage) return badPage;
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        var integrations = await org.ListIntegrationsAsync(query);
        return TypedResults.Ok(new IntegrationListResponse(integrations.Items
            .Select(i => new IntegrationSummaryResponse(i.IntegrationId, i.Profile.Name, i.Profile.Type.Wire(), i.Profile.Type.Direction().Wire()))
            .ToList(), ListCursor.Encode(integrations.Next)));
    }

    public static async Task<Results<Ok<IntegrationResponse>, ProblemHttpResult>> GetAsync(string org_id, string integration_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, integration_id, "integration_id") is { } invalid) return invalid;
        var view = await grains.GetIntegration(org_id, integration_id).GetAsync();
        return view is null ? Problems.NotFound("integration", integration_id) : TypedResults.Ok(IntegrationResponse.From(view));
    }

    public static async Task<Results<Ok<IntegrationResponse>, ProblemHttpResult>> PutAsync(
        string org_id, string integration_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (Ids.Check(org_id, integration_id, "integration_id") is { } invalidId) return invalidId;
        var (body, problem) = await JsonBody.ReadAsync<IntegrationRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var parsed = body!.ToProfile();
        if (parsed.Problem is { } failure) return Problems.Invalid(failure);
        if (ProfileRules.Check(parsed.Value!) is { } invalid) return Problems.Invalid(invalid);
        var view = await grains.GetIntegration(org_id, integration_id).PutAsync(parsed.Value!);
        return view is null ? Problems.NotFound("organization", org_id) : TypedResults.Ok(IntegrationResponse.From(view));
    }
}

public sealed record IntegrationRequest(string? Name, string? Type, string? IntegrationId = null, string? Direction = null)
{
    public Parsed<IntegrationProfile> ToProfile()
    {
        if (Name is null) return new Failure("name", "is required");
        if (Type is null) return new Failure("type", "is required");
        if (!IntegrationTypes.TryParse(Type, out var type))
            return new Failure("type", $"must be one of {string.Join(", ", IntegrationTypes.WireNames)}");
        return new(new IntegrationProfile(Name, type), null);
    }
}

public sealed record IntegrationResponse(
    string IntegrationId, string Name, string Type, string Direction, long Errors, long Successes,
    DateTimeOffset? LastErrorAt, IReadOnlyList<ErrorResponse> RecentErrors)
{
    public static IntegrationResponse From(IntegrationView view) => new(
        view.IntegrationId, view.Profile.Name, view.Profile.Type.Wire(), view.Direction.Wire(), view.Errors, view.Successes,
        view.LastErrorAt, view.RecentErrors.Select(ErrorResponse.From).ToList());
}

public sealed record ErrorResponse(
    string EventId, DateTimeOffset OccurredAt, int? StatusCode, string? Message, string? Flow, string? Service, string? TraceKey)
{
    public static ErrorResponse From(ErrorDetail error) =>
        new(error.EventId, error.OccurredAt, error.StatusCode, error.Message, error.Flow, error.Service, error.TraceKey);
}

public sealed record IntegrationSummaryResponse(string IntegrationId, string Name, string Type, string Direction);

public sealed record IntegrationListResponse(IReadOnlyList<IntegrationSummaryResponse> Integrations, string? Next);
