using Alerts.Api.Auth;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary>
/// <c>/api/v1/orgs/{org_id}/connections</c>: credentials or endpoints shared by integrations (SPEC §4), and their
/// offline/online state, which their followers are told about.
/// </summary>
public static class ConnectionsApi
{
    public static RouteGroupBuilder MapConnectionsApi(this RouteGroupBuilder api)
    {
        var connections = api.MapGroup("/orgs/{org_id}/connections").WithTags("Connections");
        connections.MapGet("/", ListAsync).WithName("ListConnections").Refusals().WithSummary("Lists an organization's connections and their state by id, a page at a time: " + Paging.Help + ".");
        connections.MapGet("/{connection_id}", GetAsync).WithName("GetConnection").Refusals().WithSummary("Reads a connection and its state.");
        connections.MapPut("/{connection_id}", PutAsync).WithName("PutConnection").Refusals().Takes<ConnectionRequest>()
            .WithSummary("Creates or replaces a connection: {\"name\", \"integration_ids\"}; a new one is online.");
        connections.MapPost("/{connection_id}/status", StatusAsync).WithName("SetConnectionStatus").Refusals().Takes<ConnectionStatusRequest>()
            .WithSummary("Reports that the connection went offline or came back: {\"online\": false}.")
            .Needs(Access.Report);
        return api;
    }

    public static async Task<Results<Ok<ConnectionListResponse>, ProblemHttpResult>> ListAsync(string org_id, int? limit, string? cursor, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        if (Paging.Parse(limit, cursor, out var query) is { } badPage) return badPage;
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        var page = await org.ListConnectionsAsync(query);
        return TypedResults.Ok(new ConnectionListResponse(page.Items.Select(ConnectionResponse.From).ToList(), ListCursor.Encode(page.Next)));
    }

    public static async Task<Results<Ok<ConnectionResponse>, ProblemHttpResult>> GetAsync(string org_id, string connection_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, connection_id, "connection_id") is { } invalid) return invalid;
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        return await org.GetConnectionAsync(connection_id) is { } connection
            ? TypedResults.Ok(ConnectionResponse.From(connection))
            : Problems.NotFound("connection", connection_id);
    }

    public static async Task<Results<Ok<ConnectionResponse>, ProblemHttpResult>> PutAsync(
        string org_id, string connection_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (Ids.Check(org_id, connection_id, "connection_id") is { } invalidId) return invalidId;
        var (body, problem) = await JsonBody.ReadAsync<ConnectionRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        if (body!.Name is null) return Problems.Invalid("name", "is required");
        var ids = body.IntegrationIds ?? [];
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] is null) return Problems.Invalid($"integration_ids[{i}]", "must be an id");
        }
        var profile = new ConnectionProfile(body.Name, ids.Select(id => id!).ToList());
        if (ProfileRules.Check(profile) is { } invalid) return Problems.Invalid(invalid);
        var connection = await grains.GetOrganization(org_id).PutConnectionAsync(connection_id, profile);
        return connection is null ? Problems.NotFound("organization", org_id) : TypedResults.Ok(ConnectionResponse.From(connection));
    }

    public static async Task<Results<Ok<ConnectionResponse>, ProblemHttpResult>> StatusAsync(
        string org_id, string connection_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (Ids.Check(org_id, connection_id, "connection_id") is { } invalidId) return invalidId;
        var (body, problem) = await JsonBody.ReadAsync<ConnectionStatusRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        if (body!.Online is not { } online) return Problems.Invalid("online", "is required (true or false)");
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        return await org.SetConnectionStatusAsync(connection_id, online) is { } connection
            ? TypedResults.Ok(ConnectionResponse.From(connection))
            : Problems.NotFound("connection", connection_id);
    }
}

public sealed record ConnectionRequest(string? Name, IReadOnlyList<string?>? IntegrationIds, string? ConnectionId = null);

public sealed record ConnectionStatusRequest(bool? Online);

public sealed record ConnectionResponse(
    string ConnectionId, string Name, IReadOnlyList<string> IntegrationIds, bool Online, DateTimeOffset? ChangedAt,
    bool NotifiedOnline, DateTimeOffset? NotifiedAt, DateTimeOffset? HoldUntil)
{
    public static ConnectionResponse From(ConnectionView view) => new(
        view.ConnectionId, view.Profile.Name, view.Profile.IntegrationIds, view.Online, view.ChangedAt, view.NotifiedOnline,
        view.NotifiedAt, view.HoldUntil);
}

public sealed record ConnectionListResponse(IReadOnlyList<ConnectionResponse> Connections, string? Next);
