using Alerts.Contracts;
using Alerts.Grains.Organization;
using Alerts.Grains.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerts.Grains.Integration;

/// <summary>
/// One integration: its profile, and the totals and latest errors its organization projects onto it after each
/// journal commit (applied once per commit, however often it is sent; written when the organization checkpoints,
/// not per commit). Reports sent here go to the organization, which records them for all its integrations at once.
/// </summary>
[Reentrant]
public sealed class IntegrationGrain(
    [PersistentState("integration", StorageNames.Grains)] IPersistentState<IntegrationState> state,
    [FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    ILogger<IntegrationGrain> logger)
    : Grain, IIntegrationGrain, IIntegrationProjection, IIntegrationErrors, Dashboard.IIntegrationDashboard
{
    /// <summary>Deltas applied since the last write.</summary>
    private bool _dirty;

    /// <summary>The last commit in storage.</summary>
    private long _stored;

    private IntegrationState State => state.State;
    private (string OrgId, string IntegrationId) Key => GrainKeys.Split(this.GetPrimaryKeyString());

    public async Task<IntegrationView?> GetAsync()
    {
        if (State.Profile is null) return null;
        // Read your writes: reports acknowledged before this call are in the totals.
        await GrainFactory.GetGrain<IIntegrationCatalog>(Key.OrgId).CatchUpAsync();
        return View();
    }

    public async Task<IntegrationView?> PutAsync(IntegrationProfile profile)
    {
        ProfileRules.ThrowIfInvalid(ProfileRules.Check(profile));
        if (!await GrainFactory.GetGrain<IIntegrationCatalog>(Key.OrgId).RegisterIntegrationAsync(Key.IntegrationId, profile)) return null;
        if (State.Profile is null) State.CreatedAt = clock.GetUtcNow();
        State.Profile = profile;
        await SaveAsync();
        return View();
    }

    public async Task<RecordResult> RecordAsync(IReadOnlyList<Attempt> attempts)
    {
        var reports = attempts.Select(attempt => new Report(Key.IntegrationId, attempt)).ToList();
        var result = (await GrainFactory.GetGrain<IOrganizationReports>(Key.OrgId).ReportAsync([reports]))[0];
        return result.Status switch
        {
            RecordStatus.Invalid when result.Index is { } index => result with { Problem = $"attempts[{index}].{result.Problem}" },
            // An organization that does not exist has no registered integrations either.
            RecordStatus.UnknownOrganization => RecordResult.UnknownIntegration(0, Key.IntegrationId),
            _ => result,
        };
    }

    public Task<ApplyAnswer> ApplyAsync(long previous, IReadOnlyList<IntegrationDelta> deltas, bool withChanges)
    {
        if (previous > State.AppliedThrough) return Task.FromResult(ApplyAnswer.Refused);
        // Only what these deltas change is reported (what reads did meanwhile, the organization's index computes itself).
        State.Book.TakeChanges();
        foreach (var delta in deltas)
        {
            if (delta.Sequence <= State.AppliedThrough) continue;
            State.AppliedThrough = delta.Sequence;
            State.Errors += delta.Errors;
            State.Successes += delta.Successes;
            if (delta.LastErrorAt is { } last && (State.LastErrorAt is null || last > State.LastErrorAt)) State.LastErrorAt = last;
            State.RecentErrors.AddRange(delta.LatestErrors);
            foreach (var attempt in delta.Attempts)
            {
                State.Book.Apply(attempt, delta.WrittenAt);
                Dashboard.DailyActivity.Add(State.Days, attempt, delta.WrittenAt);
            }
            Dashboard.DailyActivity.Trim(State.Days, delta.WrittenAt);
            _dirty = true;
        }
        var excess = State.RecentErrors.Count - IntegrationState.RecentErrorsKept;
        if (excess > 0) State.RecentErrors.RemoveRange(0, excess);
        var (changed, gone) = State.Book.TakeChanges();
        return Task.FromResult(withChanges
            ? new ApplyAnswer(true, State.AppliedThrough, changed.Select(error => error.ToView(Key.IntegrationId)).ToList(),
                gone.Select(number => ErrorIds.Format(Key.IntegrationId, number)).ToList())
            : new ApplyAnswer(true, State.AppliedThrough, [], []));
    }

    public async Task<ErrorSnapshot> ErrorSnapshotAsync(DateTimeOffset asOf) => new(State.AppliedThrough, await ErrorsAsync(asOf));

    public async Task<long> FlushAsync()
    {
        if (_dirty)
        {
            _dirty = false;
            await SaveAsync();
        }
        return _stored;
    }

    public Task<long> AppliedThroughAsync() => Task.FromResult(State.AppliedThrough);

    public Task<IReadOnlyList<ErrorView>> ErrorsAsync(DateTimeOffset asOf)
    {
        // Closing a window is what the next commit would do anyway; it is kept in memory and written with the next flush.
        var book = State.Book;
        book.CloseRetryWindows(asOf);
        var views = new List<ErrorView>(book.Active.Count + book.Resolved.Count);
        foreach (var error in book.Active) views.Add(error.ToView(Key.IntegrationId));
        foreach (var error in book.Resolved) views.Add(error.ToView(Key.IntegrationId));
        return Task.FromResult<IReadOnlyList<ErrorView>>(views);
    }

    public async Task<Dashboard.IntegrationActivity?> ActivityAsync(DateTimeOffset asOf)
    {
        if (State.Profile is null) return null;
        var errors = await ErrorsAsync(asOf);
        Dashboard.DailyActivity.Trim(State.Days, asOf);
        return new Dashboard.IntegrationActivity(Key.IntegrationId, State.Profile.Name, State.Profile.Type,
            State.Days.Select(Dashboard.DailyActivity.Copy).ToList(), errors, State.RecentErrors.ToList());
    }

    public Task<Dashboard.IntegrationDays?> DaysAsync()
    {
        if (State.Profile is null) return Task.FromResult<Dashboard.IntegrationDays?>(null);
        return Task.FromResult<Dashboard.IntegrationDays?>(new Dashboard.IntegrationDays(State.AppliedThrough, State.Days.Select(Dashboard.DailyActivity.Copy).ToList()));
    }

    public async Task<(ErrorView Error, bool Changed)?> ResolveAsync(long number, string by, DateTimeOffset at)
    {
        if (State.Book.ResolveByHand(number, by, at) is not { } resolved) return null;
        if (resolved.Changed) await SaveAsync();
        return (resolved.Error.ToView(Key.IntegrationId), resolved.Changed);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stored = State.AppliedThrough;
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_dirty) return;
        try
        {
            await FlushAsync();
        }
        catch (Exception exception)
        {
            // What is not written here is replayed from the organization's journal.
            Log.WriteFailed(logger, exception, this.GetPrimaryKeyString());
        }
    }

    private IntegrationView View() => new(
        Key.OrgId, Key.IntegrationId, State.Profile!, State.Errors, State.Successes, State.LastErrorAt,
        State.RecentErrors.AsEnumerable().Reverse().ToList());

    private async Task SaveAsync()
    {
        var applied = State.AppliedThrough;
        try
        {
            await state.WriteStateAsync();
            _stored = Math.Max(_stored, applied);
        }
        catch (Exception exception)
        {
            Log.WriteFailed(logger, exception, this.GetPrimaryKeyString());
            this.DeactivateOnIdle();
            throw;
        }
    }
}
