using Alerts.Contracts;
using Alerts.Grains.ErrorLog;
using Alerts.Grains.Organization;
using Alerts.Grains.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Grains.Integration;

/// <summary>
/// Where reports enter. A batch is de-duplicated by event id, applied to the state and written (group commit:
/// concurrent batches share one write); its errors then go to the organization as a numbered batch, which
/// the organization counts once even if it is sent again after a crash.
/// </summary>
[Reentrant]
public sealed class IntegrationGrain(
    [PersistentState("integration", StorageNames.Grains)] IPersistentState<IntegrationState> state,
    [FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    IOptions<IngestOptions> options,
    IErrorLog errorLog,
    ILogger<IntegrationGrain> logger)
    : Grain, IIntegrationGrain, IRemindable
{
    private const string ForwardReminder = "forward-errors";

    /// <summary>Batches at or below this sequence are in storage, so the organization may count them.</summary>
    private long _durableThrough;

    /// <summary>A retry reminder may exist: remove it once everything is counted.</summary>
    private bool _retrying;

    private IntegrationState State => state.State;
    private (string OrgId, string IntegrationId) Key => GrainKeys.Split(this.GetPrimaryKeyString());
    private IOrganizationCounter Organization => GrainFactory.GetGrain<IOrganizationCounter>(Key.OrgId);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _durableThrough = State.LastBatch;
        if (State.Uncounted.Count > 0)
        {
            this.RegisterGrainTimer(ForwardUncountedAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }
        return Task.CompletedTask;
    }

    public Task<IntegrationView?> GetAsync() => Task.FromResult(State.Profile is null ? null : View());

    public async Task<IntegrationView?> PutAsync(IntegrationProfile profile)
    {
        ProfileRules.ThrowIfInvalid(ProfileRules.Check(profile));
        if (!await Organization.RegisterIntegrationAsync(Key.IntegrationId, profile)) return null;
        if (State.Profile is null) State.CreatedAt = clock.GetUtcNow();
        State.Profile = profile;
        await SaveAsync();
        return View();
    }

    public async Task<RecordResult> RecordAsync(IReadOnlyList<Attempt> attempts)
    {
        if (attempts.Count > AttemptRules.MaxBatch)
            return RecordResult.Invalid($"at most {AttemptRules.MaxBatch} attempts per batch");
        for (var i = 0; i < attempts.Count; i++)
        {
            if (AttemptRules.Check(attempts[i]) is { } problem)
                return RecordResult.Invalid($"attempts[{i}].{problem.Field} {problem.Problem}");
        }
        if (State.Profile is null) return RecordResult.UnknownIntegration(Key.IntegrationId);

        var now = clock.GetUtcNow();
        // Details go to the log before the state changes: if logging fails, nothing is recorded and the caller's
        // retry is not mistaken for a duplicate. The log is idempotent, so a retry after a failed write is harmless.
        var fresh = FreshErrors(attempts, now);
        if (fresh.Count > 0) await errorLog.AppendAsync(Key.OrgId, Key.IntegrationId, fresh);

        var (accepted, duplicates) = Apply(attempts, now);
        var written = State.LastBatch;
        await SaveAsync();
        _durableThrough = Math.Max(_durableThrough, written);
        await ForwardUncountedAsync(CancellationToken.None);
        return new RecordResult(RecordStatus.Recorded, accepted, duplicates);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ForwardReminder) return;
        _retrying = true;
        await ForwardUncountedAsync(CancellationToken.None);
    }

    /// <summary>The errors of a batch whose event ids are not yet recorded, as the log and the state will hold them.</summary>
    private List<ErrorDetail> FreshErrors(IReadOnlyList<Attempt> attempts, DateTimeOffset now)
    {
        var seenInBatch = new HashSet<string>(StringComparer.Ordinal);
        return attempts
            // The first attempt with an id is the one Apply counts, whatever its outcome; later ones are duplicates.
            .Where(a => seenInBatch.Add(a.EventId) && a.Outcome == AttemptOutcome.Error && !State.Seen.Contains(a.EventId))
            .Select(a => Detail(a, now))
            .ToList();
    }

    private static ErrorDetail Detail(Attempt attempt, DateTimeOffset now) => new(
        attempt.EventId, OccurredAt(attempt, now), attempt.StatusCode, attempt.Message, attempt.Flow, attempt.Service, attempt.TraceKey);

    /// <summary>A time in the future is taken as now: a skewed clock must not stretch the window.</summary>
    private static DateTimeOffset OccurredAt(Attempt attempt, DateTimeOffset now) =>
        attempt.OccurredAt is { } reported && reported < now ? reported.ToUniversalTime() : now;

    /// <summary>Applies new attempts to the state (synchronously, before any write).</summary>
    private (int Accepted, int Duplicates) Apply(IReadOnlyList<Attempt> attempts, DateTimeOffset now)
    {
        int accepted = 0, duplicates = 0;
        var errors = new List<DateTimeOffset>();
        foreach (var attempt in attempts)
        {
            if (!State.Seen.TryAdd(attempt.EventId, options.Value.EventIdMemory))
            {
                duplicates++;
                continue;
            }
            accepted++;
            if (attempt.Outcome == AttemptOutcome.Success)
            {
                State.Successes++;
                continue;
            }
            var detail = Detail(attempt, now);
            errors.Add(detail.OccurredAt);
            State.Errors++;
            if (State.LastErrorAt is null || detail.OccurredAt > State.LastErrorAt) State.LastErrorAt = detail.OccurredAt;
            State.RecentErrors.Add(detail);
        }
        var shown = options.Value.RecentErrorsShown;
        if (State.RecentErrors.Count > shown) State.RecentErrors.RemoveRange(0, State.RecentErrors.Count - shown);
        if (errors.Count > 0)
        {
            State.Uncounted.Add(new ErrorBatch(++State.LastBatch, State.Profile!.Type.Direction(), errors));
        }
        return (accepted, duplicates);
    }

    /// <summary>
    /// Sends the durable, not yet counted batches to the organization. If it cannot be reached, a reminder
    /// retries (it survives a silo restart), so a recorded batch is always counted in the end.
    /// </summary>
    private async Task ForwardUncountedAsync(CancellationToken cancellationToken)
    {
        var batches = State.Uncounted.Where(batch => batch.Sequence <= _durableThrough).ToList();
        try
        {
            if (batches.Count > 0)
            {
                await Organization.CountErrorsAsync(Key.IntegrationId, batches);
                var through = batches[^1].Sequence;
                State.Uncounted.RemoveAll(batch => batch.Sequence <= through);
            }
        }
        catch (Exception exception)
        {
            Log.ForwardFailed(logger, exception, this.GetPrimaryKeyString());
            var period = options.Value.ForwardRetryPeriod;
            await this.RegisterOrUpdateReminder(ForwardReminder, period, period, cancellationToken);
            _retrying = true;
            return;
        }
        if (_retrying && State.Uncounted.Count == 0)
        {
            var reminder = await this.GetReminder(ForwardReminder, cancellationToken);
            if (reminder is not null) await this.UnregisterReminder(reminder, cancellationToken);
            _retrying = false;
        }
    }

    private IntegrationView View() => new(
        Key.OrgId, Key.IntegrationId, State.Profile!, State.Errors, State.Successes, State.LastErrorAt,
        State.RecentErrors.AsEnumerable().Reverse().ToList());

    private async Task SaveAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            Log.WriteFailed(logger, exception, this.GetPrimaryKeyString());
            this.DeactivateOnIdle();
            throw;
        }
    }
}
