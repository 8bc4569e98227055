using Alerts.Api.Auth;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary>
/// <c>/api/v1/orgs/{org_id}/targets</c> and <c>/users/{user_id}/targets</c> (issue 22, item 1): Slack, Teams and signed
/// JSON delivery targets beside e-mail. A user's own target gets what the user is subscribed to (a key tied to that user
/// manages them, monitors included); a shared target gets the events it follows. URLs are secrets: always listed masked.
/// </summary>
public static class TargetsApi
{
    public static RouteGroupBuilder MapTargetsApi(this RouteGroupBuilder api)
    {
        var shared = api.MapGroup("/orgs/{org_id}/targets").WithTags("Delivery targets");
        shared.MapGet("/", ListAsync).WithName("ListTargets").Refusals()
            .WithSummary("Lists the organization's delivery targets, shared and users' (user_id: one user's), URLs masked.");
        shared.MapPost("/", CreateSharedAsync).WithName("CreateSharedTarget").Refusals().Takes<TargetRequestBody>()
            .WithSummary("Adds a shared target (type slack, teams or webhook; url; name; events it follows). A webhook target's signing secret is in the answer, once.");
        shared.MapGet("/{target_id}", GetAsync).WithName("GetTarget").Refusals().WithSummary("Reads a target: its state, failures in a row, last delivery.");
        shared.MapDelete("/{target_id}", DeleteSharedAsync).WithName("DeleteTarget").Refusals().WithSummary("Deletes any target of the organization (a user's too).");
        shared.MapPost("/{target_id}/enable", EnableSharedAsync).WithName("EnableTarget").Refusals()
            .WithSummary("Enables a target its breaker disabled (six failures in a row).");
        shared.MapPost("/{target_id}/test", TestSharedAsync).WithName("TestTarget").Refusals()
            .WithSummary("Sends a test notification to a target through the real pipeline (202 with its notification id).");

        // A user's own targets: read like the rest of the organization; changed by admins, or by a key tied to that user.
        var own = api.MapGroup("/orgs/{org_id}/users/{user_id}/targets").WithTags("Delivery targets").Personal();
        own.MapGet("/", ListOwnAsync).WithName("ListUserTargets").Refusals().WithSummary("Lists a user's own delivery targets, URLs masked.");
        own.MapPost("/", CreateOwnAsync).WithName("CreateUserTarget").Refusals().Needs(Access.Own).Takes<TargetRequestBody>()
            .WithSummary("Adds a target of the user's own (type slack, teams or webhook; url; name): it gets what the user is subscribed to. At most 5.");
        own.MapDelete("/{target_id}", DeleteOwnAsync).WithName("DeleteUserTarget").Refusals().Needs(Access.Own).WithSummary("Deletes one of the user's targets.");
        own.MapPost("/{target_id}/enable", EnableOwnAsync).WithName("EnableUserTarget").Refusals().Needs(Access.Own).WithSummary("Enables one of the user's targets again.");
        own.MapPost("/{target_id}/test", TestOwnAsync).WithName("TestUserTarget").Refusals().Needs(Access.Own)
            .WithSummary("Sends a test notification to one of the user's targets through the real pipeline (202 with its notification id).");
        return api;
    }

    private static IDeliveryTargetsGrain Targets(IGrainFactory grains, string orgId) => grains.GetGrain<IDeliveryTargetsGrain>(orgId);

    private static async Task<ProblemHttpResult?> OrganizationAsync(string org_id, IGrainFactory grains) =>
        !GrainKeys.IsValidId(org_id) ? Problems.Invalid("org_id", IdRules.Problem)
        : await grains.GetOrganization(org_id).GetAsync() is null ? Problems.NotFound("organization", org_id)
        : null;

    private static async Task<ProblemHttpResult?> UserAsync(string org_id, string user_id, IGrainFactory grains)
    {
        if (await OrganizationAsync(org_id, grains) is { } missing) return missing;
        if (!GrainKeys.IsValidId(user_id)) return Problems.Invalid("user_id", IdRules.Problem);
        return await grains.GetOrganization(org_id).GetUserAsync(user_id) is null ? Problems.NotFound("user", user_id) : null;
    }

    /// <summary>
    /// The target: under a user's route only if it is theirs; under the organization's route any target (an admin manages
    /// every target, a user's too). Otherwise the 404 for it.
    /// </summary>
    private static async Task<(TargetView? Target, ProblemHttpResult? Problem)> OwnedAsync(string org_id, string? user_id, string target_id, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(target_id)) return (null, Problems.Invalid("target_id", IdRules.Problem));
        var target = await Targets(grains, org_id).GetAsync(target_id);
        return target is not null && (user_id is null || target.UserId == user_id) ? (target, null) : (null, Problems.NotFound("target", target_id));
    }

    public static async Task<Results<Ok<TargetListResponse>, ProblemHttpResult>> ListAsync(string org_id, string? user_id, IGrainFactory grains)
    {
        if (await OrganizationAsync(org_id, grains) is { } problem) return problem;
        var all = await Targets(grains, org_id).ListAsync(user_id);
        return TypedResults.Ok(new TargetListResponse(all.Select(TargetResponse.Of).ToList()));
    }

    public static async Task<Results<Ok<TargetListResponse>, ProblemHttpResult>> ListOwnAsync(string org_id, string user_id, IGrainFactory grains)
    {
        if (await UserAsync(org_id, user_id, grains) is { } problem) return problem;
        var own = await Targets(grains, org_id).ListAsync(user_id);
        return TypedResults.Ok(new TargetListResponse(own.Select(TargetResponse.Of).ToList()));
    }

    public static async Task<Results<Ok<TargetResponse>, ProblemHttpResult>> GetAsync(string org_id, string target_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, target_id, "target_id") is { } invalid) return invalid;
        return await Targets(grains, org_id).GetAsync(target_id) is { } view ? TypedResults.Ok(TargetResponse.Of(view)) : Problems.NotFound("target", target_id);
    }

    public static Task<Results<Created<TargetCreatedResponse>, ProblemHttpResult>> CreateSharedAsync(
        string org_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken) =>
        CreateAsync(org_id, null, request, grains, cancellationToken);

    public static Task<Results<Created<TargetCreatedResponse>, ProblemHttpResult>> CreateOwnAsync(
        string org_id, string user_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken) =>
        CreateAsync(org_id, user_id, request, grains, cancellationToken);

    private static async Task<Results<Created<TargetCreatedResponse>, ProblemHttpResult>> CreateAsync(
        string org_id, string? user_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if ((user_id is null ? await OrganizationAsync(org_id, grains) : await UserAsync(org_id, user_id, grains)) is { } missing) return missing;
        var (body, problem) = await JsonBody.ReadAsync<TargetRequestBody>(request, cancellationToken);
        if (problem is not null) return problem;
        if (TargetRules.ParseType(body!.Type) is not { } type) return Problems.Invalid("type", "is required: slack, teams or webhook");
        if (string.IsNullOrEmpty(body.Url)) return Problems.Invalid("url", "is required: the incoming-webhook URL to post to");
        if (user_id is not null && body.Events is not null) return Problems.Invalid("events", "is for shared targets: a user's target gets what the user is subscribed to");
        var created = await Targets(grains, org_id).CreateAsync(new TargetSpec(type, body.Url, body.Name ?? type.Wire(), user_id, body.Events));
        var path = user_id is null ? $"/api/v1/orgs/{org_id}/targets/{created.Target.Id}" : $"/api/v1/orgs/{org_id}/users/{user_id}/targets/{created.Target.Id}";
        return TypedResults.Created(path, new TargetCreatedResponse(TargetResponse.Of(created.Target), created.Secret));
    }

    public static Task<Results<NoContent, ProblemHttpResult>> DeleteSharedAsync(string org_id, string target_id, IGrainFactory grains) =>
        DeleteAsync(org_id, null, target_id, grains);

    public static Task<Results<NoContent, ProblemHttpResult>> DeleteOwnAsync(string org_id, string user_id, string target_id, IGrainFactory grains) =>
        DeleteAsync(org_id, user_id, target_id, grains);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string org_id, string? user_id, string target_id, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var (_, problem) = await OwnedAsync(org_id, user_id, target_id, grains);
        if (problem is not null) return problem;
        await Targets(grains, org_id).DeleteAsync(target_id);
        return TypedResults.NoContent();
    }

    public static Task<Results<Ok<TargetResponse>, ProblemHttpResult>> EnableSharedAsync(string org_id, string target_id, IGrainFactory grains) =>
        EnableAsync(org_id, null, target_id, grains);

    public static Task<Results<Ok<TargetResponse>, ProblemHttpResult>> EnableOwnAsync(string org_id, string user_id, string target_id, IGrainFactory grains) =>
        EnableAsync(org_id, user_id, target_id, grains);

    private static async Task<Results<Ok<TargetResponse>, ProblemHttpResult>> EnableAsync(string org_id, string? user_id, string target_id, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var (_, problem) = await OwnedAsync(org_id, user_id, target_id, grains);
        if (problem is not null) return problem;
        return await Targets(grains, org_id).EnableAsync(target_id) is { } view ? TypedResults.Ok(TargetResponse.Of(view)) : Problems.NotFound("target", target_id);
    }

    public static Task<Results<Accepted<TestNotificationResponse>, ProblemHttpResult>> TestSharedAsync(string org_id, string target_id, IGrainFactory grains) =>
        TestAsync(org_id, null, target_id, grains);

    public static Task<Results<Accepted<TestNotificationResponse>, ProblemHttpResult>> TestOwnAsync(string org_id, string user_id, string target_id, IGrainFactory grains) =>
        TestAsync(org_id, user_id, target_id, grains);

    private static async Task<Results<Accepted<TestNotificationResponse>, ProblemHttpResult>> TestAsync(string org_id, string? user_id, string target_id, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var (target, problem) = await OwnedAsync(org_id, user_id, target_id, grains);
        if (problem is not null) return problem;
        if (!target!.Enabled) return Problems.Invalid("target_id", "is disabled: enable it first", StatusCodes.Status409Conflict);
        var sent = await Targets(grains, org_id).SendTestAsync(target_id);
        return sent is null ? Problems.NotFound("target", target_id) : TypedResults.Accepted($"/api/v1/orgs/{org_id}/notifications/{sent}", new TestNotificationResponse(sent));
    }
}

/// <param name="Type">slack, teams or webhook.</param>
/// <param name="Url">The incoming-webhook URL (a secret: listed masked).</param>
/// <param name="Name">What the target is called in lists and notices (default: its type).</param>
/// <param name="Events">A shared target only: outgoing_integration__error, incoming_webhook__error and/or connections.</param>
public sealed record TargetRequestBody(string? Type, string? Url, string? Name, IReadOnlyList<string>? Events);

/// <param name="Url">Masked: scheme, host and port only, then /… (a chat webhook URL's path and query are its credential).</param>
/// <param name="UserId">The user it belongs to; null for a shared target.</param>
public sealed record TargetResponse(
    string Id, string Type, string Name, string Url, string? UserId, IReadOnlyList<string> Events, bool Enabled, int ConsecutiveFailures,
    string? DisabledReason, DateTimeOffset? DisabledAt, DateTimeOffset CreatedAt, DateTimeOffset? LastDeliveredAt, string? LastError)
{
    public static TargetResponse Of(TargetView view) => new(view.Id, view.Type.Wire(), view.Name, view.MaskedUrl, view.UserId, view.Events, view.Enabled,
        view.ConsecutiveFailures, view.DisabledReason, view.DisabledAt, view.CreatedAt, view.LastDeliveredAt, view.LastError);
}

/// <param name="Secret">A webhook target's signing secret (Standard Webhooks, whsec_…), shown only now.</param>
public sealed record TargetCreatedResponse(TargetResponse Target, string? Secret);

public sealed record TargetListResponse(IReadOnlyList<TargetResponse> Items);
