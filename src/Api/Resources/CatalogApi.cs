using Alerts.Api.Http;
using Alerts.Api.Auth;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary><c>/api/v1/error-catalog</c>: what each status or platform code means and what to do, per integration type.</summary>
public static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api)
    {
        api.MapGet("/error-catalog", () => TypedResults.Ok(new CatalogResponse(ErrorCatalog.All.Select(CatalogCodeResponse.From).ToList())))
            .WithTags("Error catalog").WithName("GetErrorCatalog").Refusals()
            .WithSummary("Every cataloged code: name, meaning, and for each integration type whether it applies and what to do.")
            .Needs(Access.AnyKey);
        api.MapGet("/whoami", (HttpContext http) => TypedResults.Ok(new WhoAmIResponse(
                http.User.FindFirst(AccessClaims.Role)?.Value ?? "", http.User.FindFirst(AccessClaims.Organization)?.Value, AccessClaims.UserOf(http.User))))
            .WithTags("Keys").WithName("WhoAmI").Refusals().WithSummary("The presented key's role, organization (null for the operator) and user (null for a key tied to no one).")
            .Needs(Access.AnyKey);
        return api;
    }
}

public sealed record CatalogTypeResponse(bool Applies, string Guidance);

public sealed record CatalogCodeResponse(int Code, string Name, string Meaning, IReadOnlyDictionary<string, CatalogTypeResponse> Types)
{
    public static CatalogCodeResponse From(CatalogEntry entry) => new(entry.Code, entry.Name, entry.Meaning,
        entry.Types.ToDictionary(t => t.Key.Wire(), t => new CatalogTypeResponse(t.Value.Applies, t.Value.Guidance ?? "not applicable")));
}

public sealed record WhoAmIResponse(string Role, string? OrgId, string? UserId);

public sealed record CatalogResponse(IReadOnlyList<CatalogCodeResponse> Codes);
