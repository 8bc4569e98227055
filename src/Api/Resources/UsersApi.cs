using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary><c>/api/v1/orgs/{org_id}/users</c>: who belongs to an organization and what they are told (SPEC §1).</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/orgs/{org_id}/users").WithTags("Users");
        users.MapGet("/", ListAsync).WithName("ListUsers").Refusals().WithSummary("Lists an organization's users by id, a page at a time: " + Paging.Help + ".");
        users.MapGet("/{user_id}", GetAsync).WithName("GetUser").Refusals().WithSummary("Reads a user.");
        users.MapPut("/{user_id}", PutAsync).WithName("PutUser").Refusals().Takes<UserRequest>().WithSummary("Creates or replaces a user.");
        users.MapDelete("/{user_id}", DeleteAsync).WithName("DeleteUser").Refusals().WithSummary("Removes a user.");
        return api;
    }

    public static async Task<Results<Ok<UserListResponse>, ProblemHttpResult>> ListAsync(string org_id, int? limit, string? cursor, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        if (Paging.Parse(limit, cursor, out var query) is { } badPage) return badPage;
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        var users = await org.ListUsersAsync(query);
        return TypedResults.Ok(new UserListResponse(users.Items.Select(UserResponse.From).ToList(), ListCursor.Encode(users.Next)));
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetAsync(string org_id, string user_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, user_id, "user_id") is { } invalid) return invalid;
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        var user = await org.GetUserAsync(user_id);
        return user is null ? Problems.NotFound("user", user_id) : TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> PutAsync(
        string org_id, string user_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (Ids.Check(org_id, user_id, "user_id") is { } invalidId) return invalidId;
        var (body, problem) = await JsonBody.ReadAsync<UserRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var parsed = body!.ToProfile();
        if (parsed.Problem is { } failure) return Problems.Invalid(failure);
        if (ProfileRules.Check(parsed.Value!) is { } invalid) return Problems.Invalid(invalid);
        var user = await grains.GetOrganization(org_id).PutUserAsync(user_id, parsed.Value!);
        return user is null ? Problems.NotFound("organization", org_id) : TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string org_id, string user_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, user_id, "user_id") is { } invalid) return invalid;
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        return await org.DeleteUserAsync(user_id) ? TypedResults.NoContent() : Problems.NotFound("user", user_id);
    }
}

public sealed record UserRequest(
    string? Email, string? Name, string? Role, IReadOnlyList<string>? NotificationEvents, string? UserId = null, SubscriptionsBody? Subscriptions = null)
{
    public Parsed<UserProfile> ToProfile()
    {
        if (Email is null) return new Failure("email", "is required");
        if (Name is null) return new Failure("name", "is required");
        if (Role is null) return new Failure("role", "is required (admin or monitor)");
        if (!UserRoles.TryParse(Role, out var role)) return new Failure("role", "must be \"admin\" or \"monitor\"");
        Subscriptions? subscriptions = null;
        if (Subscriptions is not null)
        {
            var parsed = Subscriptions.ToSubscriptions();
            if (parsed.Problem is { } problem) return new Failure(problem.Field, problem.Problem);
            subscriptions = parsed.Value;
        }
        return new(new UserProfile(Email, Name, role, NotificationEvents ?? [], subscriptions), null);
    }
}

/// <summary><c>"subscriptions": {"flows": [{"integration_id", "flow"}], "integrations": [ids], "connections": [ids]}</c>.</summary>
public sealed record SubscriptionsBody(IReadOnlyList<FlowBody?>? Flows, IReadOnlyList<string?>? Integrations, IReadOnlyList<string?>? Connections)
{
    public Parsed<Subscriptions> ToSubscriptions()
    {
        var flows = new List<FlowSubscription>();
        for (var i = 0; i < (Flows?.Count ?? 0); i++)
        {
            var flow = Flows![i];
            if (flow is null) return new Failure($"subscriptions.flows[{i}]", "must be an object");
            if (flow.IntegrationId is null) return new Failure($"subscriptions.flows[{i}].integration_id", "is required");
            if (flow.Flow is null) return new Failure($"subscriptions.flows[{i}].flow", "is required");
            flows.Add(new FlowSubscription(flow.IntegrationId, flow.Flow));
        }
        if (Ids(Integrations, "subscriptions.integrations") is { } badIntegration) return badIntegration;
        if (Ids(Connections, "subscriptions.connections") is { } badConnection) return badConnection;
        return new(new Subscriptions(flows, Integrations?.Select(id => id!).ToList() ?? [], Connections?.Select(id => id!).ToList() ?? []), null);
    }

    private static Failure? Ids(IReadOnlyList<string?>? ids, string field)
    {
        for (var i = 0; i < (ids?.Count ?? 0); i++)
        {
            if (ids![i] is null) return new Failure($"{field}[{i}]", "must be an id");
        }
        return null;
    }

    public static SubscriptionsBody From(Subscriptions subscriptions) => new(
        subscriptions.Flows.Select(flow => (FlowBody?)new FlowBody(flow.IntegrationId, flow.Flow)).ToList(),
        subscriptions.Integrations.ToList<string?>(),
        subscriptions.Connections.ToList<string?>());
}

public sealed record FlowBody(string? IntegrationId, string? Flow);

public sealed record UserResponse(string UserId, string Email, string Name, string Role, IReadOnlyList<string> NotificationEvents, SubscriptionsBody Subscriptions)
{
    public static UserResponse From(UserView view) =>
        new(view.UserId, view.Profile.Email, view.Profile.Name, view.Profile.Role.Wire(), view.Profile.NotificationEvents,
            SubscriptionsBody.From(view.Profile.Follows));
}

internal static class Ids
{
    /// <summary>A 400 naming the first malformed id of the route, or null.</summary>
    public static ProblemHttpResult? Check(string orgId, string childId, string childField)
    {
        if (!GrainKeys.IsValidId(orgId)) return Problems.Invalid("org_id", IdRules.Problem);
        if (!GrainKeys.IsValidId(childId)) return Problems.Invalid(childField, IdRules.Problem);
        return null;
    }
}

public sealed record UserListResponse(IReadOnlyList<UserResponse> Users, string? Next);
