using Alerts.Grains.Notify;
using Alerts.Contracts;
using Alerts.Grains.Stores;

namespace Alerts.Grains.Organization;

/// <summary>
/// The organization's users — rows of the directory — and who among them is subscribed to what. Reports never need
/// them: they are read from the directory when something does (a notification's recipients, a digest round, the users
/// API, resolving an error) and let go after <see cref="IdleAfter"/> without use, so an organization that only takes
/// reports holds none of its (up to <see cref="QuotaOptions.Users"/>) users in memory.
/// </summary>
internal sealed class People(IOrganizationHost host, IOrganizationDirectory directory, QuotaOptions quotas, IReadOnlyDictionary<string, IntegrationProfile> integrations)
{
    public static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(5);

    private Dictionary<string, UserProfile>? _users;
    private Task<Dictionary<string, UserProfile>>? _loading;
    private DateTimeOffset _lastUse;

    /// <summary>New users being written (the grain is reentrant): counted against the quota already.</summary>
    private readonly HashSet<string> _adding = new(StringComparer.Ordinal);

    /// <summary>Whether the users are in memory now.</summary>
    public bool Loaded => _users is not null;

    /// <summary>The users, read from the directory if they are not in memory (one read for concurrent callers).</summary>
    private async Task<Dictionary<string, UserProfile>> UsersAsync()
    {
        _lastUse = host.Now;
        if (_users is { } users) return users;
        var loading = _loading ??= LoadAsync();
        try
        {
            return await loading;
        }
        finally
        {
            // Cleared here, not in LoadAsync: a load that completes at once would clear it before it was set.
            if (ReferenceEquals(_loading, loading)) _loading = null;
        }
    }

    private async Task<Dictionary<string, UserProfile>> LoadAsync()
    {
        var users = new Dictionary<string, UserProfile>(StringComparer.Ordinal);
        foreach (var user in await directory.ListUsersAsync(host.OrgId, CancellationToken.None)) users[user.UserId] = user.Profile;
        _users = users;
        return users;
    }

    /// <summary>Lets the users go when nothing used them for <see cref="IdleAfter"/> (and no write is under way). True when it did.</summary>
    public bool ReleaseIfIdle()
    {
        if (_users is null || _loading is not null || _adding.Count > 0 || host.Now - _lastUse < IdleAfter) return false;
        _users = null;
        return true;
    }

    public async Task<ListPage<UserView>> ListAsync(ListQuery query) =>
        query.Take((await UsersAsync()).Select(pair => new UserView(pair.Key, pair.Value)), user => user.UserId);

    public async Task<UserView?> GetAsync(string userId) =>
        (await UsersAsync()).TryGetValue(userId, out var user) ? new UserView(userId, user) : null;

    /// <summary>The addresses of the users subscribed to an audience, each once, in order.</summary>
    public async Task<IReadOnlyList<string>> SubscribedEmailsAsync(string audience) => (await UsersAsync()).Values
        .Where(user => user.IsSubscribedTo(audience))
        .Select(user => user.Email)
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .Order(StringComparer.OrdinalIgnoreCase)
        .ToList();

    /// <summary>
    /// The recipients subscribed to an audience (<see cref="Recipient.Key"/>s), each once: their e-mail addresses in
    /// order, then the delivery targets of those users and the shared targets following the audience (asked of the
    /// targets grain only when the organization has any).
    /// </summary>
    public async Task<List<string>> SubscribersAsync(string audience)
    {
        var subscribed = (await UsersAsync()).Where(pair => pair.Value.IsSubscribedTo(audience)).ToList();
        var keys = subscribed.Select(pair => pair.Value.Email).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)
            .Select(email => Recipient.Email(email).Key).ToList();
        if (!host.State.HasTargets) return keys;
        var targets = await host.GrainFactory.GetGrain<Targets.ITargetDelivery>(host.OrgId).RecipientsAsync(subscribed.Select(pair => pair.Key).ToList(), audience);
        keys.AddRange(targets.Select(target => target.Key));
        return keys;
    }

    /// <summary>Whether another user with <paramref name="email"/> still receives <paramref name="audience"/>.</summary>
    public async Task<bool> AddressReceivesAsync(string email, string audience) =>
        (await UsersAsync()).Values.Any(user => user.IsSubscribedTo(audience) && string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase));

    public async Task<IReadOnlyList<UserView>> AdminsAsync() => (await UsersAsync())
        .Where(pair => pair.Value.Role == UserRole.Admin)
        .OrderBy(pair => pair.Key, StringComparer.Ordinal)
        .Select(pair => new UserView(pair.Key, pair.Value))
        .ToList();

    /// <summary>Every user, by id (a digest round reads who follows what).</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, UserProfile>>> AllAsync() =>
        (await UsersAsync()).OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Stores a user; <paramref name="connectionExists"/> checks followed connections. Returns the user as stored and as
    /// it was before (null for a new one).
    /// </summary>
    public async Task<(UserView Stored, UserProfile? Before)> PutAsync(string userId, UserProfile profile, Func<string, bool> connectionExists)
    {
        var users = await UsersAsync();
        var before = users.GetValueOrDefault(userId);
        var stored = WithSubscriptions(profile with { NotificationEvents = profile.NotificationEvents.Distinct(StringComparer.Ordinal).ToList() }, before, connectionExists);
        await QuotaOptions.WithinAsync(_adding, userId, isNew: before is null, users.Count, quotas.Users, "users",
            () => directory.PutUserAsync(host.OrgId, userId, stored));
        // Held again if they were let go meanwhile (the directory already has this row).
        (await UsersAsync())[userId] = stored;
        return (new UserView(userId, stored), before);
    }

    /// <summary>Deletes a user; returns it as it was, or null when there is no such user.</summary>
    public async Task<UserProfile?> DeleteAsync(string userId)
    {
        if (!(await UsersAsync()).TryGetValue(userId, out var before)) return null;
        await directory.DeleteUserAsync(host.OrgId, userId);
        (await UsersAsync()).Remove(userId);
        return before;
    }

    /// <summary>
    /// Checks that followed integrations and connections exist, drops repeats, and keeps when each scope was first
    /// followed (a scope followed before keeps its time; a new one starts now).
    /// </summary>
    private UserProfile WithSubscriptions(UserProfile profile, UserProfile? before, Func<string, bool> connectionExists)
    {
        if (profile.Subscriptions is not { } given) return profile with { SubscribedSince = null };
        for (var i = 0; i < given.Flows.Count; i++)
        {
            if (!integrations.ContainsKey(given.Flows[i].IntegrationId))
                ProfileRules.ThrowIfInvalid(($"subscriptions.flows[{i}].integration_id", $"'{given.Flows[i].IntegrationId}' is not an integration of this organization"));
        }
        for (var i = 0; i < given.Integrations.Count; i++)
        {
            if (!integrations.ContainsKey(given.Integrations[i]))
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
