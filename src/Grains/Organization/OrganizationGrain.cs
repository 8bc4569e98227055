using Alerts.Contracts;
using Alerts.Grains.ErrorLog;
using Alerts.Grains.Notifications;
using Alerts.Grains.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Grains.Organization;

/// <summary>
/// An organization: its settings and people (this file), its threshold counting (<c>.Thresholds.cs</c>)
/// and its outbox of notifications (<c>.Outbox.cs</c>).
/// Reentrant so that writes queued behind a running write are merged into one (group commit); every
/// method mutates state synchronously and only then awaits the write.
/// </summary>
[Reentrant]
public sealed partial class OrganizationGrain(
    [PersistentState("organization", StorageNames.Grains)] IPersistentState<OrganizationState> state,
    [FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    IOutboxDispatcher dispatcher,
    IOptions<OutboxOptions> outboxOptions,
    IErrorLog errorLog,
    IOptions<ErrorLogOptions> errorLogOptions,
    IClusterMembershipService membership,
    ILogger<OrganizationGrain> logger)
    : Grain, IOrganizationGrain, IOrganizationCounter, IOutboxOwner, IRemindable
{
    private OrganizationState State => state.State;
    private string OrgId => this.GetPrimaryKeyString();
    private DateTimeOffset Now => clock.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DispatchPending();
        return Task.CompletedTask;
    }

    public Task<OrganizationView?> GetAsync() => Task.FromResult(State.Profile is null ? null : View());

    public async Task<OrganizationView> PutAsync(OrganizationProfile profile)
    {
        ProfileRules.ThrowIfInvalid(ProfileRules.Check(profile));
        var now = Now;
        if (State.Profile is null) State.CreatedAt = now;
        State.Profile = profile;
        State.UpdatedAt = now;
        await SaveAsync();
        // A changed interval moves the end of a running cooldown (SPEC §2.6).
        foreach (var direction in Directions.All) await SyncCooldownReminderAsync(direction);
        await ScheduleRetentionAsync();
        return View();
    }

    public Task<IReadOnlyList<UserView>> ListUsersAsync() =>
        Task.FromResult<IReadOnlyList<UserView>>(State.Users
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new UserView(pair.Key, pair.Value))
            .ToList());

    public Task<UserView?> GetUserAsync(string userId) =>
        Task.FromResult(State.Users.TryGetValue(userId, out var user) ? new UserView(userId, user) : null);

    public async Task<UserView?> PutUserAsync(string userId, UserProfile profile)
    {
        if (!GrainKeys.IsValidId(userId)) throw new ArgumentException($"'{userId}' is not a valid id", nameof(userId));
        ProfileRules.ThrowIfInvalid(ProfileRules.Check(profile));
        if (State.Profile is null) return null;
        State.Users[userId] = profile with { NotificationEvents = profile.NotificationEvents.Distinct(StringComparer.Ordinal).ToList() };
        await SaveAsync();
        return new UserView(userId, State.Users[userId]);
    }

    public async Task<bool> DeleteUserAsync(string userId)
    {
        if (!State.Users.Remove(userId)) return false;
        await SaveAsync();
        return true;
    }

    public async Task<bool> RegisterIntegrationAsync(string integrationId, IntegrationProfile profile)
    {
        if (State.Profile is null) return false;
        if (State.Integrations.TryGetValue(integrationId, out var known) && known == profile) return true;
        State.Integrations[integrationId] = profile;
        await SaveAsync();
        return true;
    }

    public Task<IReadOnlyList<string>> FindUnknownIntegrationsAsync(IReadOnlyCollection<string> integrationIds) =>
        Task.FromResult<IReadOnlyList<string>>(State.Profile is null
            ? integrationIds.ToList()
            : integrationIds.Where(id => !State.Integrations.ContainsKey(id)).ToList());

    public Task<IReadOnlyList<IntegrationSummary>> ListIntegrationsAsync() =>
        Task.FromResult<IReadOnlyList<IntegrationSummary>>(State.Integrations
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new IntegrationSummary(pair.Key, pair.Value))
            .ToList());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == OutboxReminder)
        {
            await OnOutboxReminderAsync();
            return;
        }
        if (reminderName == RetentionReminder)
        {
            await TrimErrorLogAsync();
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

    /// <summary>Deletes the log's days that just fell out of the retention period (a week of them, in case a tick was missed).</summary>
    private async Task TrimErrorLogAsync()
    {
        var firstKept = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-errorLogOptions.Value.RetentionDays + 1);
        for (var day = firstKept.AddDays(-7); day < firstKept; day = day.AddDays(1))
            await errorLog.DeleteDayAsync(OrgId, day);
    }

    private OrganizationView View() => new(
        OrgId, State.Profile!, State.Outgoing.LastFailureAt, State.Incoming.LastFailureAt, State.CreatedAt, State.UpdatedAt);

    /// <summary>
    /// Writes the state; callers return (acknowledge) only after this. A failed write leaves memory ahead of
    /// storage, so the activation is dropped and the next call reloads what is really stored.
    /// </summary>
    private async Task SaveAsync()
    {
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
    }
}
