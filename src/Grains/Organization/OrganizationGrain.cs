using Alerts.Contracts;
using Alerts.Grains.Directory;
using Alerts.Grains.ErrorLog;
using Alerts.Grains.Journal;
using Alerts.Grains.Notify;
using Alerts.Grains.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Grains.Organization;

/// <summary>
/// An organization: its settings and people (this file), the reports of its integrations — journal, counts and
/// projections (<c>.Reports.cs</c>, <c>.Projections.cs</c>) —, and its threshold decisions, handed to its outbox
/// (<c>.Thresholds.cs</c>, <c>.Notifications.cs</c>).
/// <para>
/// Its state is a snapshot (<see cref="OrganizationState"/>) plus the journal after it. Reports are acknowledged
/// once their commit is in the journal; the snapshot is written lazily, and at once when a decision or a settings
/// change must be durable. Users and integrations are rows of the directory, kept in memory while active.
/// Reentrant: every method changes memory synchronously and then awaits storage, so concurrent callers share writes.
/// </para>
/// </summary>
[Reentrant]
public sealed partial class OrganizationGrain(
    [PersistentState("organization", StorageNames.Grains)] IPersistentState<OrganizationState> state,
    [FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    IJournal journalStore,
    IOrganizationDirectory directory,
    INotificationHistory notifications,
    IOptions<JournalOptions> journalOptions,
    IErrorLog errorLog,
    IOptions<ErrorLogOptions> errorLogOptions,
    IOptions<Errors.DigestOptions> digestOptions,
    IOptions<Errors.ConnectionOptions> connectionOptions,
    ILogger<OrganizationGrain> logger)
    : Grain, IOrganizationGrain, IIntegrationCatalog, IThresholdEvaluation, IDigestRound, IRemindable
{
    private readonly Dictionary<string, UserProfile> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IntegrationProfile> _integrations = new(StringComparer.Ordinal);

    private OrganizationState State => state.State;
    private string OrgId => this.GetPrimaryKeyString();
    private DateTimeOffset Now => clock.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Profile is not null)
        {
            var users = directory.ListUsersAsync(OrgId, cancellationToken);
            var integrations = directory.ListIntegrationsAsync(OrgId, cancellationToken);
            var connections = directory.ListConnectionsAsync(OrgId, cancellationToken);
            foreach (var user in await users) _users[user.UserId] = user.Profile;
            foreach (var integration in await integrations) _integrations[integration.IntegrationId] = integration.Profile;
            foreach (var connection in await connections) _connections[connection.ConnectionId] = connection;
        }
        await OpenJournalAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await CloseJournalAsync();
    }

    public Task<OrganizationView?> GetAsync() => Task.FromResult(State.Profile is null ? null : View());

    public async Task<OrganizationView> PutAsync(OrganizationProfile profile)
    {
        ProfileRules.ThrowIfInvalid(ProfileRules.Check(profile));
        var now = Now;
        var wasActive = Directions.All.Where(d => State.Profile?.IntegrationNotifications.For(d).IsActive == true).ToList();
        if (State.Profile is null) State.CreatedAt = now;
        // A window holds one interval: what the old interval already let go does not come back with a longer one.
        foreach (var direction in Directions.All) ForgetOutsideWindow(direction, now);
        State.Profile = profile;
        State.UpdatedAt = now;
        foreach (var direction in Directions.All) FitWindow(direction);
        var stopped = wasActive.Where(d => !profile.IntegrationNotifications.For(d).IsActive).ToList();
        State.HandOvers.RemoveAll(entry => entry.Payload.Direction is { } d && stopped.Contains(d));
        await SaveAsync();
        // Limit 0 (or a setting removed) stops notifications at once (SPEC §2.6), pending ones included.
        foreach (var direction in stopped)
        {
            await Outbox.CancelAsync(NotificationKind.ThresholdExceeded, direction,
                $"{direction.SettingsName()} was switched off (failure_limit 0 or a setting removed) before it was sent");
        }
        // A changed interval moves the end of a running cooldown (SPEC §2.6).
        foreach (var direction in Directions.All) await SyncCooldownReminderAsync(direction);
        await ScheduleRetentionAsync();
        return View();
    }

    public Task<IReadOnlyList<UserView>> ListUsersAsync() =>
        Task.FromResult<IReadOnlyList<UserView>>(_users
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new UserView(pair.Key, pair.Value))
            .ToList());

    public Task<UserView?> GetUserAsync(string userId) =>
        Task.FromResult(_users.TryGetValue(userId, out var user) ? new UserView(userId, user) : null);

    public async Task<UserView?> PutUserAsync(string userId, UserProfile profile)
    {
        if (!GrainKeys.IsValidId(userId)) throw new ArgumentException($"'{userId}' is not a valid id", nameof(userId));
        ProfileRules.ThrowIfInvalid(ProfileRules.Check(profile));
        if (State.Profile is null) return null;
        var before = _users.GetValueOrDefault(userId);
        var stored = WithSubscriptions(profile with { NotificationEvents = profile.NotificationEvents.Distinct(StringComparer.Ordinal).ToList() }, before);
        await directory.PutUserAsync(OrgId, userId, stored);
        _users[userId] = stored;
        if (before is not null) await DropLostSubscriptionsAsync(before, "unsubscribed before it was sent");
        await ScheduleDigestAsync();
        return new UserView(userId, stored);
    }

    /// <summary>
    /// Checks that followed integrations and connections exist, drops repeats, and keeps when each scope was first
    /// followed (a scope followed before keeps its time; a new one starts now).
    /// </summary>
    private UserProfile WithSubscriptions(UserProfile profile, UserProfile? before)
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
            if (!_connections.ContainsKey(given.Connections[i]))
                ProfileRules.ThrowIfInvalid(($"subscriptions.connections[{i}]", $"'{given.Connections[i]}' is not a connection of this organization"));
        }
        var subscriptions = new Subscriptions(
            given.Flows.Distinct().ToList(),
            given.Integrations.Distinct(StringComparer.Ordinal).ToList(),
            given.Connections.Distinct(StringComparer.Ordinal).ToList());
        var now = Now;
        var since = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var key in subscriptions.ScopeKeys()) since[key] = before?.Since(key) ?? now;
        return profile with { Subscriptions = subscriptions, SubscribedSince = since };
    }

    public async Task<bool> DeleteUserAsync(string userId)
    {
        if (!_users.TryGetValue(userId, out var before)) return false;
        await directory.DeleteUserAsync(OrgId, userId);
        _users.Remove(userId);
        await DropLostSubscriptionsAsync(before, "the user was deleted before it was sent");
        return true;
    }

    public async Task<bool> RegisterIntegrationAsync(string integrationId, IntegrationProfile profile)
    {
        if (State.Profile is null) return false;
        if (_integrations.TryGetValue(integrationId, out var known) && known == profile) return true;
        await directory.PutIntegrationAsync(OrgId, integrationId, profile);
        _integrations[integrationId] = profile;
        return true;
    }

    public Task<IReadOnlyList<IntegrationSummary>> ListIntegrationsAsync() =>
        Task.FromResult<IReadOnlyList<IntegrationSummary>>(_integrations
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new IntegrationSummary(pair.Key, pair.Value))
            .ToList());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == RetentionReminder)
        {
            await TrimErrorLogAsync();
            return;
        }
        if (reminderName == DigestReminder)
        {
            await RunDigestAsync();
            return;
        }
        if (reminderName == HoldsReminder)
        {
            await EndHoldsAsync();
            return;
        }
        foreach (var direction in Directions.All)
        {
            if (reminderName == CooldownReminder(direction)) await OnCooldownEndedAsync(direction);
        }
    }

    private const string RetentionReminder = "error-log-retention";

    private async Task ScheduleRetentionAsync()
    {
        if (State.RetentionScheduled) return;
        await this.RegisterOrUpdateReminder(RetentionReminder, TimeSpan.FromHours(1), TimeSpan.FromDays(1));
        State.RetentionScheduled = true;
        await SaveAsync();
    }

    /// <summary>The first UTC day the error log keeps; reports of earlier days are refused (they could not be shown).</summary>
    private DateOnly FirstKeptDay(DateTimeOffset now) =>
        DateOnly.FromDateTime(now.UtcDateTime).AddDays(-errorLogOptions.Value.RetentionDays + 1);

    /// <summary>Deletes the log's days that just fell out of the retention period (a week of them, in case a tick was missed).</summary>
    private async Task TrimErrorLogAsync()
    {
        var firstKept = FirstKeptDay(Now);
        for (var day = firstKept.AddDays(-7); day < firstKept; day = day.AddDays(1))
            await errorLog.DeleteDayAsync(OrgId, day);
    }

    private OrganizationView View() => new(
        OrgId, State.Profile!, State.Outgoing.LastFailureAt, State.Incoming.LastFailureAt, State.CreatedAt, State.UpdatedAt);

    /// <summary>
    /// Writes the snapshot. A failed write leaves memory ahead of storage, so the activation is dropped and the next
    /// call reloads the snapshot and replays the journal.
    /// </summary>
    private async Task SaveAsync()
    {
        _commitsSinceSnapshot = 0;
        // What this write covers at least (a merged write may cover more): the journal may be trimmed up to it.
        var covered = Math.Min(State.JournalPosition, State.ProjectedThrough);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            Log.WriteFailed(logger, exception, OrgId);
            this.DeactivateOnIdle();
            throw;
        }
        AfterSnapshot(covered);
    }
}
