using System.Text.Json;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary><c>/api/v1/orgs/{org_id}</c>: an organization's profile and threshold settings (SPEC §1, §2).</summary>
public static class OrganizationsApi
{
    public static RouteGroupBuilder MapOrganizationsApi(this RouteGroupBuilder api)
    {
        var orgs = api.MapGroup("/orgs/{org_id}").WithTags("Organizations");
        orgs.MapGet("/", GetAsync).WithName("GetOrganization").Refusals().WithSummary("Reads an organization with last_failure_at per direction.");
        orgs.MapPut("/", PutAsync).WithName("PutOrganization").Refusals().Takes<OrganizationRequest>().WithSummary("Creates or replaces an organization's profile and settings.");
        return api;
    }

    public static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> GetAsync(string org_id, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var view = await grains.GetOrganization(org_id).GetAsync();
        return view is null ? Problems.NotFound("organization", org_id) : TypedResults.Ok(OrganizationResponse.From(view));
    }

    public static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> PutAsync(string org_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var (body, problem) = await JsonBody.ReadAsync<OrganizationRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var parsed = body!.ToProfile();
        if (parsed.Problem is { } failure) return Problems.Invalid(failure);
        if (ProfileRules.Check(parsed.Value!) is { } invalid) return Problems.Invalid(invalid);
        var view = await grains.GetOrganization(org_id).PutAsync(parsed.Value!);
        return TypedResults.Ok(OrganizationResponse.From(view));
    }
}

public static class IdRules
{
    public const string Problem = "must be 1-128 letters, digits or . _ : @ - (starting with a letter or digit)";
}

public sealed record OrganizationRequest(
    string? Name,
    string? Environment,
    bool? Production,
    string? PrimaryContact,
    SettingsBody? Settings,
    long? AccountId = null,
    // Read-only fields of the response, accepted so that a GET can be sent back as a PUT.
    JsonElement? OrgId = null,
    JsonElement? CreatedAt = null,
    JsonElement? UpdatedAt = null)
{
    /// <summary>The profile, or the first problem. <c>production</c> defaults to environment == "production".</summary>
    public Parsed<OrganizationProfile> ToProfile()
    {
        if (Name is null) return new Failure("name", "is required");
        if (Environment is null) return new Failure("environment", "is required");
        var notifications = Settings?.IntegrationNotifications;
        var outgoing = DirectionOf(notifications?.OutgoingIntegrations, Direction.Outgoing);
        if (outgoing.Problem is { } outgoingProblem) return Failure.Of(outgoingProblem);
        var incoming = DirectionOf(notifications?.IncomingWebhooks, Direction.Incoming);
        if (incoming.Problem is { } incomingProblem) return Failure.Of(incomingProblem);
        return new(new OrganizationProfile(
            Name, Environment, Production ?? Environment == "production", PrimaryContact,
            new IntegrationNotificationSettings(outgoing.Value!, incoming.Value!), AccountId), null);
    }

    private static Parsed<DirectionSettings> DirectionOf(DirectionBody? body, Direction direction)
    {
        if (body?.FailureInterval is null) return new(new DirectionSettings(body?.FailureLimit, null), null);
        if (FailureIntervals.TryParse(body.FailureInterval, out var interval)) return new(new DirectionSettings(body.FailureLimit, interval), null);
        return new Failure(
            $"settings.integration_notifications.{direction.SettingsName()}.failure_interval",
            $"must be one of {string.Join(", ", FailureIntervals.WireNames)}");
    }
}

public sealed record SettingsBody(IntegrationNotificationsBody? IntegrationNotifications);

public sealed record IntegrationNotificationsBody(DirectionBody? OutgoingIntegrations, DirectionBody? IncomingWebhooks);

public sealed record DirectionBody(int? FailureLimit, string? FailureInterval, JsonElement? LastFailureAt = null);

public sealed record OrganizationResponse(
    string OrgId,
    string Name,
    string Environment,
    bool Production,
    string? PrimaryContact,
    long? AccountId,
    SettingsResponse Settings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static OrganizationResponse From(OrganizationView view)
    {
        var profile = view.Profile;
        DirectionResponse Block(Direction direction)
        {
            var settings = profile.IntegrationNotifications.For(direction);
            return new DirectionResponse(settings.FailureLimit, settings.FailureInterval?.Wire(), view.LastFailureAt(direction));
        }
        return new OrganizationResponse(
            view.OrgId, profile.Name, profile.Environment, profile.Production, profile.PrimaryContact, profile.AccountId,
            new SettingsResponse(new IntegrationNotificationsResponse(Block(Direction.Outgoing), Block(Direction.Incoming))),
            view.CreatedAt, view.UpdatedAt);
    }
}

public sealed record SettingsResponse(IntegrationNotificationsResponse IntegrationNotifications);

public sealed record IntegrationNotificationsResponse(DirectionResponse OutgoingIntegrations, DirectionResponse IncomingWebhooks);

public sealed record DirectionResponse(int? FailureLimit, string? FailureInterval, DateTimeOffset? LastFailureAt);
