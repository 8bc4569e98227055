using Alerts.Contracts;
using Alerts.Grains.Organization;

namespace Alerts.Tests.Support;

/// <summary>A fresh organization on the test cluster with an outgoing and an incoming integration.</summary>
public sealed class OrgScenario
{
    public const string Outgoing = "crm-push";
    public const string Incoming = "shop-hook";

    private static int _next;
    private int _events;

    private OrgScenario(IGrainFactory grains, string orgId)
    {
        Grains = grains;
        OrgId = orgId;
    }

    public IGrainFactory Grains { get; }
    public string OrgId { get; }

    /// <summary>Every user of this scenario has an address in this domain, so its e-mails can be told apart.</summary>
    public string Domain => $"{OrgId}.example.test";

    public IOrganizationGrain Org => Grains.GetOrganization(OrgId);

    public static async Task<OrgScenario> CreateAsync(
        IGrainFactory grains,
        DirectionSettings? outgoing = null,
        DirectionSettings? incoming = null,
        string environment = "production",
        bool production = true)
    {
        var scenario = new OrgScenario(grains, $"org-{Interlocked.Increment(ref _next)}-{Guid.NewGuid():N}"[..24]);
        await scenario.Org.PutAsync(Profile(scenario.OrgId, outgoing, incoming, environment, production));
        await scenario.Grains.GetIntegration(scenario.OrgId, Outgoing).PutAsync(new IntegrationProfile("CRM push", IntegrationType.OutboundWebhook));
        await scenario.Grains.GetIntegration(scenario.OrgId, Incoming).PutAsync(new IntegrationProfile("Shop webhook", IntegrationType.InboundWebhook));
        return scenario;
    }

    public static OrganizationProfile Profile(
        string orgId, DirectionSettings? outgoing, DirectionSettings? incoming, string environment = "production", bool production = true) =>
        new($"Org {orgId}", environment, production, null,
            new IntegrationNotificationSettings(outgoing ?? DirectionSettings.Unset, incoming ?? DirectionSettings.Unset), AccountIdOf(orgId));

    /// <summary>The platform's numeric account id of a scenario's organization (platform events carry it).</summary>
    public static long AccountIdOf(string orgId) => (long)(System.IO.Hashing.XxHash3.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(orgId)) >> 2);

    public long AccountId => AccountIdOf(OrgId);

    public Task<OrganizationView> UpdateSettingsAsync(DirectionSettings? outgoing, DirectionSettings? incoming = null) =>
        Org.PutAsync(Profile(OrgId, outgoing, incoming));

    public async Task<string> AddUserAsync(string name, params string[] events)
    {
        var email = $"{name}@{Domain}";
        await Org.PutUserAsync(name, new UserProfile(email, name, UserRole.Monitor, events));
        return email;
    }

    /// <summary>Reports <paramref name="count"/> new errors (fresh event ids) for an integration, occurring now unless told.</summary>
    public Task<RecordResult> ErrorsAsync(string integrationId, int count, DateTimeOffset? occurredAt = null) =>
        Grains.GetIntegration(OrgId, integrationId).RecordAsync(Enumerable.Range(0, count)
            .Select(_ => new Attempt($"evt-{Interlocked.Increment(ref _events)}", AttemptOutcome.Error, occurredAt, 500, "Internal Server Error"))
            .ToList());

    public Task<RecordResult> RecordAsync(string integrationId, params Attempt[] attempts) =>
        Grains.GetIntegration(OrgId, integrationId).RecordAsync(attempts);

    public async Task<IReadOnlyList<NotificationView>> NotificationsAsync() => (await Org.ListNotificationsAsync(new NotificationQuery(100))).Items;

    /// <summary>What the cooldown reminder does when it fires.</summary>
    public Task EvaluateAsync() => Grains.GetGrain<IThresholdEvaluation>(OrgId).EvaluateThresholdsAsync();
}
