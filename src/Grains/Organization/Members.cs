using Alerts.Grains.Notify;
using Alerts.Contracts;
using Alerts.Grains.Stores;

namespace Alerts.Grains.Organization;

/// <summary>
/// The organization's users and integrations: rows of the directory, held in memory while the organization is active,
/// and who among the users is subscribed to what.
/// </summary>
internal sealed class Members(IOrganizationHost host, IOrganizationDirectory directory, QuotaOptions quotas)
{
    private readonly Dictionary<string, UserProfile> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IntegrationProfile> _integrations = new(StringComparer.Ordinal);

    /// <summary>New users and integrations being written (the grain is reentrant): counted against the quotas already.</summary>
    private readonly HashSet<string> _addingUsers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _addingIntegrations = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, UserProfile> Users => _users;

    public IReadOnlyDictionary<string, IntegrationProfile> Integrations => _integrations;

    /// <summary>Reads the organization's users and integrations (both at once).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var users = directory.ListUsersAsync(host.OrgId, cancellationToken);
        var integrations = directory.ListIntegrationsAsync(host.OrgId, cancellationToken);
        foreach (var user in await users) _users[user.UserId] = user.Profile;
        foreach (var integration in await integrations) _integrations[integration.IntegrationId] = integration.Profile;
    }

    public ListPage<UserView> ListUsers(ListQuery query) => query.Take(_users.Select(pair => new UserView(pair.Key, pair.Value)), user => user.UserId);

    /// <summary>The addresses of the users subscribed to an audience, each once, in order.</summary>
    public IReadOnlyList<string> SubscribedEmails(string audience) => _users.Values
        .Where(user => user.IsSubscribedTo(audience))
        .Select(user => user.Email)
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .Order(StringComparer.OrdinalIgnoreCase)
        .ToList();

    public IReadOnlyList<UserView> Admins() => _users
        .Where(pair => pair.Value.Role == UserRole.Admin)
        .OrderBy(pair => pair.Key, StringComparer.Ordinal)
        .Select(pair => new UserView(pair.Key, pair.Value))
        .ToList();

    public UserView? GetUser(string userId) => _users.TryGetValue(userId, out var user) ? new UserView(userId, user) : null;

    /// <summary>
    /// Stores a user; <paramref name="connectionExists"/> checks followed connections. Returns the user as stored and as
    /// it was before (null for a new one).
    /// </summary>
    public async Task<(UserView Stored, UserProfile? Before)> PutUserAsync(string userId, UserProfile profile, Func<string, bool> connectionExists)
    {
        var before = _users.GetValueOrDefault(userId);
        var stored = WithSubscriptions(profile with { NotificationEvents = profile.NotificationEvents.Distinct(StringComparer.Ordinal).ToList() }, before, connectionExists);
        await WithinQuotaAsync(_addingUsers, userId, isNew: before is null, _users.Count, quotas.Users, "users",
            () => directory.PutUserAsync(host.OrgId, userId, stored));
        _users[userId] = stored;
        return (new UserView(userId, stored), before);
    }

    /// <summary>Deletes a user; returns it as it was, or null when there is no such user.</summary>
    public async Task<UserProfile?> DeleteUserAsync(string userId)
    {
        if (!_users.TryGetValue(userId, out var before)) return null;
        await directory.DeleteUserAsync(host.OrgId, userId);
        _users.Remove(userId);
        return before;
    }

    /// <summary>Adds or updates an integration (stored only when it changed).</summary>
    public async Task RegisterIntegrationAsync(string integrationId, IntegrationProfile profile)
    {
        var exists = _integrations.TryGetValue(integrationId, out var known);
        if (exists && known == profile) return;
        await WithinQuotaAsync(_addingIntegrations, integrationId, isNew: !exists, _integrations.Count, quotas.Integrations, "integrations",
            () => directory.PutIntegrationAsync(host.OrgId, integrationId, profile));
        _integrations[integrationId] = profile;
    }

    /// <summary>
    /// Writes a row; a new one only while the quota has room, counting the new rows still being written (the grain is
    /// reentrant, so two creations can overlap).
    /// </summary>
    private static async Task WithinQuotaAsync(HashSet<string> adding, string id, bool isNew, int stored, int limit, string name, Func<Task> write)
    {
        var added = isNew && adding.Add(id);
        if (added && stored + adding.Count > limit)
        {
            adding.Remove(id);
            throw QuotaOptions.Reached(name, limit, name);
        }
        try
        {
            await write();
        }
        finally
        {
            if (added) adding.Remove(id);
        }
    }

    public ListPage<IntegrationSummary> ListIntegrations(ListQuery query) =>
        query.Take(_integrations.Select(pair => new IntegrationSummary(pair.Key, pair.Value)), integration => integration.IntegrationId);

    /// <summary>The recipients subscribed to an audience (<see cref="Recipient.Key"/>s), each once, in order.</summary>
    public List<string> Subscribers(string audience) => _users.Values
        .Where(user => user.IsSubscribedTo(audience))
        .Select(user => Recipient.Email(user.Email).Key)
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .Order(StringComparer.OrdinalIgnoreCase)
        .ToList();

    /// <summary>Whether another user with <paramref name="email"/> still receives <paramref name="audience"/>.</summary>
    public bool AddressReceives(string email, string audience) =>
        _users.Values.Any(user => user.IsSubscribedTo(audience) && string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Checks that followed integrations and connections exist, drops repeats, and keeps when each scope was first
    /// followed (a scope followed before keeps its time; a new one starts now).
    /// </summary>
    private UserProfile WithSubscriptions(UserProfile profile, UserProfile? before, Func<string, bool> connectionExists)
    {
        if (profile.Subscriptions is not { } given) return profile with { SubscribedSince = null };
        for (var i = 0; i < given.Flows.Count; i++)
        {
            if (!_integrations.ContainsKey(given.Flows[i].IntegrationId))
                ProfileRules.ThrowIfInvalid(($"subscriptions.flows[{i}].integration_id", $"'{given.Flows[i].IntegrationId}' is not an integration of this organization"));
        }
        for (var i = 0; i < given.Integrations.Count; i++)
        {
            if (!_integrations.ContainsKey(given.Integrations[i]))
                ProfileRules.ThrowIfInvalid(($"subscriptions.integrations[{i}]", $"'{given.Integrations[i]}' is not an integration of this organization"));
        }
        for (var i = 0; i < given.Connections.Count; i++)
        {
            if (!connectionExists(given.Connections[i]))
                ProfileRules.ThrowIfInvalid(($"subscriptions.connections[{i}]", $"'{given.Connections[i]}' is not a connection of this organization"));
        }
        var subscriptions = new Subscriptions(
            given.Flows.Distinct().ToList(),
            given.Integrations.Distinct(StringComparer.Ordinal).ToList(),
            given.Connections.Distinct(StringComparer.Ordinal).ToList());
        var now = host.Now;
        var since = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var key in subscriptions.ScopeKeys()) since[key] = before?.Since(key) ?? now;
        return profile with { Subscriptions = subscriptions, SubscribedSince = since };
    }
}
