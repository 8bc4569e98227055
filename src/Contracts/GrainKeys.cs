using System.Text.RegularExpressions;

namespace Alerts.Contracts;

/// <summary>How grain keys are built from ids. Ids may not contain '/', which separates key parts.</summary>
public static partial class GrainKeys
{
    public const int MaxIdLength = 128;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:@-]*\z")]
    private static partial Regex IdPattern();

    /// <summary>Ids are 1–128 characters: letters, digits and <c>. _ : @ -</c>, starting with a letter or digit.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && IdPattern().IsMatch(id);

    public static string Integration(string orgId, string integrationId) => $"{Checked(orgId)}/{Checked(integrationId)}";

    /// <summary>Splits a two-part key such as <c>{org}/{integration}</c>.</summary>
    public static (string OrgId, string ChildId) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1) throw new ArgumentException($"'{key}' is not an org/child key", nameof(key));
        return (key[..slash], key[(slash + 1)..]);
    }

    public static IOrganizationGrain GetOrganization(this IGrainFactory grains, string orgId) =>
        grains.GetGrain<IOrganizationGrain>(Checked(orgId));

    public static IIntegrationGrain GetIntegration(this IGrainFactory grains, string orgId, string integrationId) =>
        grains.GetGrain<IIntegrationGrain>(Integration(orgId, integrationId));

    public static IWebhookRegistryGrain GetWebhookRegistry(this IGrainFactory grains, string orgId) =>
        grains.GetGrain<IWebhookRegistryGrain>(Checked(orgId));

    /// <summary>A webhook subscription: <c>{org}/{id}</c>.</summary>
    public static IWebhookSubscriptionGrain GetWebhook(this IGrainFactory grains, string orgId, string webhookId) =>
        grains.GetGrain<IWebhookSubscriptionGrain>(Integration(orgId, webhookId));

    /// <summary>A user's in-app notifications: <c>{org}/{user}</c>.</summary>
    public static IUserInboxGrain GetInbox(this IGrainFactory grains, string orgId, string userId) =>
        grains.GetGrain<IUserInboxGrain>(Integration(orgId, userId));

    private static string Checked(string id) =>
        IsValidId(id) ? id : throw new ArgumentException($"'{id}' is not a valid id", nameof(id));
}
