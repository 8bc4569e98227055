using Alerts.Api.Http;
using Alerts.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Alerts.Api.Auth;

public static class AccessClaims
{
    public const string Role = "alerts:role";
    public const string Organization = "alerts:org";
    public const string Operator = "operator";
    /// <summary>The user a key is tied to (absent for untied keys and the operator).</summary>
    public const string User = "alerts:user";

    public static string? UserOf(System.Security.Claims.ClaimsPrincipal user) => user.FindFirst(User)?.Value;

    /// <summary>
    /// Whether the caller sees secrets kept in values (a webhook URL's query string): the operator and admin keys, who
    /// may change those values anyway; monitor and ingest keys see them masked.
    /// </summary>
    public static bool SeesSecrets(System.Security.Claims.ClaimsPrincipal user) =>
        user.FindFirst(Role)?.Value is Operator or "admin";
}

/// <summary>What an endpoint needs. By default a GET reads and anything else changes; reports and a few others say so.</summary>
public enum Access
{
    /// <summary>Monitor, admin, operator.</summary>
    Read,
    /// <summary>Admin, operator.</summary>
    Change,
    /// <summary>Ingest, admin, operator: reports (events, platform events, connection status).</summary>
    Report,
    /// <summary>Any valid key: reference data that belongs to no organization (the error catalog).</summary>
    AnyKey,
    /// <summary>
    /// A person's own settings (their delivery targets): admin and operator for anyone; a monitor key only when it is
    /// tied to a user, and (with <see cref="PersonalMetadata"/>) only for that user.
    /// </summary>
    Own,
}

/// <summary>The one rule every <c>/api/v1</c> endpoint goes through (registered as the default policy).</summary>
public sealed class OrganizationAccessRequirement : IAuthorizationRequirement;

/// <summary>
/// Decides every request once: the operator may do anything; an organization key may act only on the organization of the
/// route's <c>org_id</c> (any other is a 404, so ids do not leak), and only as its role allows the endpoint's
/// <see cref="Access"/>.
/// </summary>
public sealed class OrganizationAccessHandler : AuthorizationHandler<OrganizationAccessRequirement>
{
    public const string OtherOrganization = "other-organization";
    public const string OtherUser = "other-user";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OrganizationAccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.FindFirst(AccessClaims.Role)?.Value is not { } role) return Task.CompletedTask;
        if (role == AccessClaims.Operator)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }
        var access = http.GetEndpoint()?.Metadata.GetMetadata<AccessMetadata>()?.Access
            ?? (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? Access.Read : Access.Change);
        if (access == Access.AnyKey)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }
        var route = http.GetRouteValue("org_id") as string;
        if (route is null || !string.Equals(route, context.User.FindFirst(AccessClaims.Organization)?.Value, StringComparison.Ordinal))
        {
            context.Fail(new AuthorizationFailureReason(this, OtherOrganization));
            return Task.CompletedTask;
        }
        var allowed = access switch
        {
            Access.Read => role is "admin" or "monitor",
            Access.Change => role is "admin",
            Access.Report => role is "admin" or "ingest",
            // A monitor key tied to a user; which user is the personal check's below (another user's: 403 naming user_id).
            Access.Own => role is "admin" || (role is "monitor" && AccessClaims.UserOf(context.User) is not null),
            _ => false,
        };
        if (!allowed) return Task.CompletedTask;
        // A key tied to a user acts on that user's own things only (its inbox): the route's user_id must be its user.
        if (http.GetEndpoint()?.Metadata.GetMetadata<PersonalMetadata>() is not null
            && AccessClaims.UserOf(context.User) is { } own
            && !string.Equals(http.GetRouteValue("user_id") as string, own, StringComparison.Ordinal))
        {
            context.Fail(new AuthorizationFailureReason(this, OtherUser));
            return Task.CompletedTask;
        }
        context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>Endpoint metadata: the route's <c>user_id</c> names a person's own things, which a key tied to another user may not touch.</summary>
public sealed record PersonalMetadata;

/// <summary>Endpoint metadata naming what it needs when the HTTP method does not say it.</summary>
public sealed record AccessMetadata(Access Access);

public static class AccessExtensions
{
    public static TBuilder Needs<TBuilder>(this TBuilder builder, Access access) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessMetadata(access));

    /// <summary>Marks the route's <c>user_id</c> as a person's own (see <see cref="PersonalMetadata"/>).</summary>
    public static TBuilder Personal<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PersonalMetadata());
}

/// <summary>A key of another organization gets the 404 an unknown organization would; a role too weak gets 403.</summary>
public sealed class AccessResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.Any(r => r.Message == OrganizationAccessHandler.OtherOrganization) == true)
        {
            var org = context.GetRouteValue("org_id") as string ?? "";
            await Problems.NotFound("organization", org).ExecuteAsync(context);
            return;
        }
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.Any(r => r.Message == OrganizationAccessHandler.OtherUser) == true)
        {
            var own = AccessClaims.UserOf(context.User);
            await Problems.Invalid("user_id", $"must be '{own}': this key belongs to that user and acts only on their own things (in-app notifications, delivery targets)",
                StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }
        if (authorizeResult.Forbidden)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The key's role does not allow this.",
                detail: "monitor keys read; ingest keys report events; admin keys read and change their organization.").ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
