using Alerts.Api.Auth;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary>
/// <c>/api/v1/orgs/{org_id}/keys</c>: the organization's keys with roles (admin, monitor, ingest). The operator and the
/// organization's admins manage them; a key's value is shown once, when it is created.
/// </summary>
public static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/orgs/{org_id}/keys").WithTags("Keys");
        keys.MapPost("/", CreateAsync).WithName("CreateKey").Refusals().Takes<KeyRequest>().WithSummary("Creates a key: {\"role\": \"admin\"|\"monitor\"|\"ingest\", \"name\"?, \"user_id\"? (admin/monitor: the key's person)}; its value is shown once.");
        keys.MapGet("/", ListAsync).WithName("ListKeys").Refusals().WithSummary("Lists the organization's keys by id (never their values), a page at a time: " + Paging.Help + ".").Needs(Access.Change);
        keys.MapDelete("/{key_id}", RevokeAsync).WithName("RevokeKey").Refusals().WithSummary("Revokes a key.");
        return api;
    }

    public static async Task<Results<Created<KeyResponse>, ProblemHttpResult>> CreateAsync(string org_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var (body, problem) = await JsonBody.ReadAsync<KeyRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        if (!KeyRoles.TryParse(body!.Role, out var role)) return Problems.Invalid("role", "must be admin, monitor or ingest");
        if (body.Name is { Length: > 100 }) return Problems.Invalid("name", "must be at most 100 characters");
        if (body.UserId is not null && role == KeyRole.Ingest) return Problems.Invalid("user_id", "can be given to admin and monitor keys only (an ingest key reports for services, not for a person)");
        if (body.UserId is not null && !GrainKeys.IsValidId(body.UserId)) return Problems.Invalid("user_id", IdRules.Problem);
        var created = await grains.GetGrain<IOrganizationKeysGrain>(org_id).CreateAsync(role, body.Name, body.UserId);
        return created is null
            ? Problems.NotFound("organization", org_id)
            : TypedResults.Created($"/api/v1/orgs/{org_id}/keys/{created.Key.Id}", new KeyResponse(created.Key.Id, created.Key.Role.Wire(), created.Key.Name, created.Key.CreatedAt, created.Value, created.Key.UserId));
    }

    public static async Task<Results<Ok<KeyListResponse>, ProblemHttpResult>> ListAsync(string org_id, int? limit, string? cursor, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        if (Paging.Parse(limit, cursor, out var query) is { } badPage) return badPage;
        if (await grains.GetOrganization(org_id).GetAsync() is null) return Problems.NotFound("organization", org_id);
        // At most Alerts:Quotas:Keys (≤ 100): read together, paged here.
        var keys = query.Take(await grains.GetGrain<IOrganizationKeysGrain>(org_id).ListAsync(), k => k.Id);
        return TypedResults.Ok(new KeyListResponse(keys.Items.Select(k => new KeyResponse(k.Id, k.Role.Wire(), k.Name, k.CreatedAt, null, k.UserId)).ToList(),
            ListCursor.Encode(keys.Next)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string org_id, string key_id, IGrainFactory grains, KeyCache cache)
    {
        if (Ids.Check(org_id, key_id, "key_id") is { } invalid) return invalid;
        if (!await grains.GetGrain<IOrganizationKeysGrain>(org_id).RevokeAsync(key_id)) return Problems.NotFound("key", key_id);
        cache.Forget(key_id);
        return TypedResults.NoContent();
    }
}

public sealed record KeyRequest(string? Role, string? Name, string? UserId);

public sealed record KeyResponse(string Id, string Role, string? Name, DateTimeOffset CreatedAt, string? Key, string? UserId);

public sealed record KeyListResponse(IReadOnlyList<KeyResponse> Items, string? Next);
