using Alerts.Contracts;
using Alerts.Grains.Connections;
using Alerts.Grains.Dashboard;
using Alerts.Grains.Intake;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Mutes;
using Alerts.Grains.Notify;
using Alerts.Grains.Projection;
using Alerts.Grains.Thresholds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerts.Grains.Organization;

/// <summary>
/// An organization. Its one job is to own the organization's snapshot and route each call to the part that does the
/// work: <see cref="ReportIntake"/> (reports in, de-duplicated, journaled = acknowledged), <see cref="ProjectionPump"/>
/// (commits onto integrations and the error log), <see cref="ThresholdDecisions"/>, <see cref="ConnectionBook"/>,
/// <see cref="ErrorQueries"/> and <see cref="DigestRounds"/>, <see cref="HandOver"/> to the outbox, <see cref="DashboardCounts"/> and <see cref="FailureIndex"/>,
/// <see cref="Members"/>, <see cref="MuteBook"/>, <see cref="LogRetention"/>, and <see cref="Checkpoints"/> for the snapshot's writes. Parts are
/// plain classes living in this activation: the hot path makes no extra grain call.
/// <para>
/// Its state is a snapshot (<see cref="OrganizationState"/>) plus the journal after it. Reentrant: every method changes
/// memory synchronously and then awaits storage, so concurrent callers share writes.
/// </para>
/// </summary>
[Reentrant]
public sealed class OrganizationGrain
    : Grain, IOrganizationGrain, IIntegrationCatalog, IThresholdEvaluation, IDigestRound, IRemindable, IOrganizationHost, IOrganizationMemory,
      IOrganizationActivity, IOrganizationMutes, IOrganizationTargetFlag
{
    private readonly IPersistentState<OrganizationState> _state;
    private readonly TimeProvider _clock;
    private readonly OrganizationServices _services;
    private readonly ReminderTable _reminders;
    private readonly Members _members;
    private readonly People _people;
    private readonly ProjectionPump _projection;
    private readonly HandOver _handOver;
    private readonly LogRetention _retention;
    private readonly ReportIntake _intake;
    private readonly Checkpoints _checkpoints;
    private readonly ThresholdDecisions _thresholds;
    private readonly ConnectionBook _connections;
    private readonly ErrorQueries _errors;
    private readonly DigestRounds _digests;
    private readonly DashboardCounts _dashboard;
    private readonly FailureIndex _failures;
    private readonly DecisionAnswers _decisions;
    private readonly TestNotifications _tests;
    private readonly MuteBook _mutes;
    private IGrainTimer? _snapshotTimer;

    public OrganizationGrain(
        [PersistentState("organization", StorageNames.Grains)] IPersistentState<OrganizationState> state,
        [FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
        OrganizationServices services)
    {
        _state = state;
        _clock = clock;
        _services = services;
        _reminders = new ReminderTable(this);
        _members = new Members(this, services.Directory, services.Quotas);
        _people = new People(this, services.Directory, services.Quotas, _members.Integrations);
        _failures = new FailureIndex(this, _members, () => _projection!.CatchUpAsync(State.JournalPosition));
        _projection = new ProjectionPump(this, services.Journal, services.ErrorLog, () => _intake!.LastSequence, _failures);
        _handOver = new HandOver(this, _people, _projection);
        _retention = new LogRetention(this, _reminders, services.ErrorLog, services.ErrorLogOptions);
        _intake = new ReportIntake(this, _members, _projection, _retention, services.Journal, clock, services.JournalOptions);
        _checkpoints = new Checkpoints(state, this, _projection, services.Journal, services.JournalOptions, this.DeactivateOnIdle);
        _mutes = new MuteBook(this, _reminders, services.Quotas, ScopeExists);
        _thresholds = new ThresholdDecisions(this, _members, _handOver, _reminders, _mutes);
        _decisions = new DecisionAnswers(this, _people, services.Notifications);
        _tests = new TestNotifications(this, _people);
        _connections = new ConnectionBook(this, services.Directory, _members, _handOver, _reminders, services.ConnectionOptions, services.Quotas, _mutes);
        _errors = new ErrorQueries(this, _members, _people, _projection);
        _dashboard = new DashboardCounts(this, _members);
        _digests = new DigestRounds(this, _members, _people, _projection, _errors, _handOver, services.Notifications, _reminders, services.DigestOptions, _mutes);
        _retention.RegisterReminders();
        _digests.RegisterReminders();
        _connections.RegisterReminders();
        _thresholds.RegisterReminders();
        _mutes.RegisterReminders();
        // A mute started, ended or changed: what it held is looked at again (told once if it still matters).
        _mutes.Changed = async () =>
        {
            await _thresholds.EvaluateAsync();
            await _connections.MutesChangedAsync();
        };
    }

    private bool ScopeExists(string scope) =>
        MuteRules.IntegrationOf(scope) is { } integration ? _members.Integrations.ContainsKey(integration)
        : _connections.Exists(scope[(scope.IndexOf(':') + 1)..]);

    private OrganizationState State => _state.State;
    private string OrgId => this.GetPrimaryKeyString();

    /// <summary>The journal stream of an organization's reports.</summary>
    public static string JournalStream(string orgId) => ReportIntake.StreamOf(orgId);

    string IOrganizationHost.OrgId => OrgId;
    DateTimeOffset IOrganizationHost.Now => _clock.GetUtcNow();
    OrganizationState IOrganizationHost.State => State;
    IGrainFactory IOrganizationHost.GrainFactory => GrainFactory;
    ILogger IOrganizationHost.Logger => _services.Logger;
    Task IOrganizationHost.SaveAsync() => _checkpoints.SaveAsync();
    void IOrganizationHost.MarkDirty() => _checkpoints.MarkDirty();
    IDisposable IOrganizationHost.After(TimeSpan due, Func<Task> callback) =>
        this.RegisterGrainTimer(_ => callback(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Profile is not null) await Task.WhenAll(_members.LoadAsync(cancellationToken), _connections.LoadAsync(cancellationToken));
        _intake.Open(Apply, _ => this.DeactivateOnIdle());
        if (State.Profile is null) return;

        // Replay: commits the snapshot has not counted are counted, commits it has not projected are projected.
        _projection.Open(State.ProjectedThrough);
        var now = _clock.GetUtcNow();
        var restored = await _intake.RestoreAsync(State.JournalPosition, State.ProjectedThrough, cancellationToken);
        // An organization from before the dashboard's roll-up builds it now, restored commits included.
        var built = State.Activity is null && await _dashboard.BuildAsync(restored);
        foreach (var commit in restored)
        {
            if (commit.Sequence > State.JournalPosition)
            {
                _thresholds.Count(commit.Reports, now);
                if (!built) _dashboard.Count(commit);
                State.JournalPosition = commit.Sequence;
                _checkpoints.MarkDirty();
            }
            if (commit.Sequence > State.ProjectedThrough) _projection.Queue(commit);
        }
        StartSnapshotTimer();
        _projection.Start();
        // A decision a crash kept from being made is made now (and written); the rest is rebuilt off the activation path.
        if (_thresholds.Decide(Directions.All, now).Count > 0) await _checkpoints.SaveAsync();
        _ = ResumeAfterActivationAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _snapshotTimer?.Dispose();
        _projection.Close();
        // The journal holds everything: what this checkpoint does not save, the next activation replays.
        if (!_intake.Failed && State.Profile is not null && _checkpoints.Behind) await _checkpoints.CheckpointAsync();
    }

    /// <summary>
    /// After an activation, off its path so that reports are taken even if the reminder service or the outbox is slow:
    /// reminders rebuilt from the snapshot, pending hand-overs and a pending digest handed over.
    /// </summary>
    private async Task ResumeAfterActivationAsync()
    {
        await _thresholds.TrySyncCooldownsAsync();
        if (State.HandOvers.Count > 0) await _handOver.HandOverAsync(State.HandOvers.ToList(), State.JournalPosition);
        try
        {
            await _digests.ResumeAsync();
            // Only an organization with a connection on hold needs the reminder service here (it is slow after a silo died).
            if (_connections.AnyHeld) await _connections.SyncHoldsReminderAsync();
        }
        catch (Exception exception)
        {
            Log.HandOverFailed(_services.Logger, exception, OrgId);
        }
    }

    /// <summary>A commit is durable: count it, decide, and queue its projection. Returns the decision's durability, if any.</summary>
    private Task? Apply(AppliedCommit commit)
    {
        State.JournalPosition = commit.Sequence;
        var touched = _thresholds.Count(commit.Reports, _clock.GetUtcNow());
        _dashboard.Count(commit);
        _projection.Queue(commit);
        _checkpoints.MarkDirty();
        _projection.Start();
        var decided = _thresholds.Decide(touched, _clock.GetUtcNow());
        if (decided.Count > 0) return _thresholds.MakeDurableAsync(decided, commit.Sequence, commit.TraceParent);
        _checkpoints.CheckpointIfDue();
        return null;
    }

    /// <summary>
    /// The snapshot timer: started by an activation that finds the organization, or by the call that creates it — an
    /// organization created in this activation needs its checkpoints and its retries as much as a reloaded one.
    /// </summary>
    private void StartSnapshotTimer()
    {
        if (_snapshotTimer is not null) return;
        var interval = _services.JournalOptions.SnapshotInterval;
        _snapshotTimer = this.RegisterGrainTimer(OnSnapshotTimerAsync, interval, interval);
    }

    private async Task OnSnapshotTimerAsync(CancellationToken cancellationToken)
    {
        if (_intake.Failed) return;
        await _checkpoints.OnTimerAsync();
        _people.ReleaseIfIdle();
        _failures.ReleaseIfIdle();
        // Decisions whose hand-over failed are handed over again (the outbox ignores what it already has), and cooldown
        // reminders whose write failed are written.
        _handOver.RetryPending();
        await _thresholds.RetryRemindersAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => _reminders.DispatchAsync(reminderName);

    // Settings.

    public Task<OrganizationView?> GetAsync() => Task.FromResult(State.Profile is null ? null : View());

    public async Task<OrganizationView> PutAsync(OrganizationProfile profile)
    {
        ProfileRules.ThrowIfInvalid(ProfileRules.Check(profile));
        var now = _clock.GetUtcNow();
        var wasActive = Directions.All.Where(d => State.Profile?.IntegrationNotifications.For(d).IsActive == true).ToList();
        if (State.Profile is null)
        {
            State.CreatedAt = now;
            _dashboard.Start();
        }
        _thresholds.BeforeSettingsChange(now);
        State.Profile = profile;
        State.UpdatedAt = now;
        _thresholds.AfterSettingsChange(now);
        var stopped = wasActive.Where(d => !profile.IntegrationNotifications.For(d).IsActive).ToList();
        State.HandOvers.RemoveAll(entry => entry.Payload.Direction is { } d && stopped.Contains(d));
        await _checkpoints.SaveAsync();
        StartSnapshotTimer();
        // Limit 0 (or a setting removed) stops notifications at once (SPEC §2.6), pending ones included.
        foreach (var direction in stopped)
            await _handOver.CancelAsync(direction, $"{direction.SettingsName()} was switched off (failure_limit 0 or a setting removed) before it was sent");
        // A changed interval moves the end of a running cooldown (SPEC §2.6).
        await _thresholds.SyncCooldownsAsync();
        await _retention.ScheduleAsync();
        return View();
    }

    private OrganizationView View() => new(
        OrgId, State.Profile!, State.Outgoing.LastFailureAt, State.Incoming.LastFailureAt, State.CreatedAt, State.UpdatedAt);

    // Users and integrations.

    public Task<ListPage<UserView>> ListUsersAsync(ListQuery query) => _people.ListAsync(query);

    public Task<IReadOnlyList<string>> SubscribedEmailsAsync(string audience) => _people.SubscribedEmailsAsync(audience);

    public Task<IReadOnlyList<UserView>> ListAdminsAsync() => _people.AdminsAsync();

    public Task<UserView?> GetUserAsync(string userId) => _people.GetAsync(userId);

    public Task<bool> UsersLoadedAsync() => Task.FromResult(_people.Loaded);

    public Task<bool> ReleaseIdleUsersAsync() => Task.FromResult(_people.ReleaseIfIdle());

    public async Task<UserView?> PutUserAsync(string userId, UserProfile profile)
    {
        if (!GrainKeys.IsValidId(userId)) throw new ArgumentException($"'{userId}' is not a valid id", nameof(userId));
        ProfileRules.ThrowIfInvalid(ProfileRules.Check(profile));
        if (State.Profile is null) return null;
        var (stored, before) = await _people.PutAsync(userId, profile, _connections.Exists);
        if (before is not null) await _handOver.DropLostSubscriptionsAsync(before, "unsubscribed before it was sent");
        await _digests.ScheduleAsync();
        return stored;
    }

    public async Task<bool> DeleteUserAsync(string userId)
    {
        if (await _people.DeleteAsync(userId) is not { } before) return false;
        await _handOver.DropLostSubscriptionsAsync(before, "the user was deleted before it was sent");
        await GrainFactory.GetGrain<IDeliveryTargetsGrain>(OrgId).RemoveUserAsync(userId);
        return true;
    }

    public async Task TargetsChangedAsync(bool any)
    {
        if (State.Profile is null || State.HasTargets == any) return;
        State.HasTargets = any;
        await _checkpoints.SaveAsync();
    }

    public async Task<bool> RegisterIntegrationAsync(string integrationId, IntegrationProfile profile)
    {
        if (State.Profile is null) return false;
        await _members.RegisterIntegrationAsync(integrationId, profile);
        return true;
    }

    public Task<ListPage<IntegrationSummary>> ListIntegrationsAsync(ListQuery query) => Task.FromResult(_members.ListIntegrations(query));

    // Reports.

    public Task<IReadOnlyList<RecordResult>> ReportAsync(IReadOnlyList<IReadOnlyList<Report>> batches)
    {
        if (State.Profile is not null) return _intake.ReportAsync(batches);
        var results = new RecordResult[batches.Count];
        Array.Fill(results, RecordResult.UnknownOrganization(OrgId));
        return Task.FromResult<IReadOnlyList<RecordResult>>(results);
    }

    public Task CatchUpAsync() => _projection.CatchUpAsync(State.JournalPosition);

    public Task EvaluateThresholdsAsync() => _thresholds.EvaluateAsync();

    // Connections.

    public async Task<ConnectionView?> PutConnectionAsync(string connectionId, ConnectionProfile profile)
    {
        if (!GrainKeys.IsValidId(connectionId)) throw new ArgumentException($"'{connectionId}' is not a valid id", nameof(connectionId));
        ProfileRules.ThrowIfInvalid(ProfileRules.Check(profile));
        if (State.Profile is null) return null;
        return await _connections.PutAsync(connectionId, profile);
    }

    public Task<ConnectionView?> GetConnectionAsync(string connectionId) => Task.FromResult(_connections.Get(connectionId));

    public Task<ListPage<ConnectionView>> ListConnectionsAsync(ListQuery query) => Task.FromResult(query.Take(_connections.All, c => c.ConnectionId));

    public Task<ConnectionView?> SetConnectionStatusAsync(string connectionId, bool online) => _connections.SetStatusAsync(connectionId, online);

    // Errors and digests.

    public Task<ErrorPage> ListErrorsAsync(ErrorQuery query) => _errors.ListAsync(query);

    public async Task<ResolveResult> ResolveErrorAsync(string errorId, string userId)
    {
        var result = await _errors.ResolveAsync(errorId, userId);
        if (result is { Status: ResolveStatus.Resolved, Error: { } error }) _failures.Resolved(error);
        return result;
    }

    public Task RunDigestAsync() => _digests.RunAsync();

    // The dashboard's counts.

    public Task<IReadOnlyList<TypeActivity>?> ActivityByTypeAsync() => Task.FromResult(_dashboard.View());

    public async Task<FailurePage?> FailuresAsync(FailureQuery query) =>
        State.Profile is null ? null : DashboardMath.Failures(await _failures.ActivityAsync(), query, _clock.GetUtcNow());

    // Notifications sent (the history table).

    public Task<NotificationPage> ListNotificationsAsync(NotificationQuery query) => _services.Notifications.QueryAsync(OrgId, query);

    public async Task<IReadOnlyList<DecisionView>?> DecisionsAsync(DecisionQuery query) =>
        State.Profile is null ? null : await _decisions.ListAsync(query);

    public Task<string?> SendTestNotificationAsync(string userId) => _tests.SendAsync(userId);

    // ---- mutes (IOrganizationMutes) --------------------------------------------------------------------------------

    public Task<IReadOnlyList<MuteView>?> ListMutesAsync() => Task.FromResult(State.Profile is null ? null : _mutes.List());

    public Task<MuteView?> GetMuteAsync(string muteId) => Task.FromResult(State.Profile is null ? null : _mutes.Get(muteId));

    public async Task<MuteView?> CreateMuteAsync(MuteSpec spec, string by) =>
        State.Profile is null ? null : await _mutes.CreateAsync(spec, await UserOrThrowAsync(by, "created_by"));

    public async Task<MuteView?> UpdateMuteAsync(string muteId, MutePatch patch, string by) =>
        State.Profile is null ? null : await _mutes.UpdateAsync(muteId, patch, await UserOrThrowAsync(by, "changed_by"));

    public async Task<MuteView?> EndMuteAsync(string muteId, string by) =>
        State.Profile is null ? null : await _mutes.EndAsync(muteId, await UserOrThrowAsync(by, "ended_by"));

    private async Task<string> UserOrThrowAsync(string userId, string field) =>
        await _people.GetAsync(userId) is not null ? userId : throw ProfileRules.Invalid(field, $"'{userId}' is not a user of the organization");

    public async Task<NotificationDetail?> GetNotificationAsync(string notificationId)
    {
        if (await _services.Notifications.GetAsync(OrgId, notificationId) is not { } view) return null;
        var recipients = await _services.Notifications.RecipientsAsync(OrgId, notificationId);
        return new NotificationDetail(view, recipients.OrderBy(r => r.Address, StringComparer.OrdinalIgnoreCase).ToList());
    }
}
