using Alerts.Contracts;

namespace Alerts.Grains.Lifecycle;

/// <summary>
/// One integration's errors as their lifecycle tracks them (SPEC §3), pure: every rule takes the time it applies at.
/// <list type="bullet">
/// <item>Repeats of the same problem fold into one error: same flow, trace key and status code (an error without a trace
/// key: same flow and status code). Occurrences and last seen grow; the message is the latest.</item>
/// <item>An error with a trace key and another status code replaces the flow's active errors with that key: they are
/// resolved together (<see cref="ErrorResolution.Superseded"/>) and the new one is open.</item>
/// <item><c>retrying: true</c> holds a new error for <see cref="RetryWindow"/> from when it occurred. A success for the
/// same flow and trace key within it resolves it silently (it was never open); when the window closes it opens. A
/// repeat without <c>retrying</c> opens it at once.</item>
/// <item>An admin resolves an error by hand (who and when are kept).</item>
/// </list>
/// Bounded: at most <see cref="MaxActive"/> errors retrying or open are tracked one by one; further distinct ones fold
/// into a single overflow error per integration (their details stay in the error log), and the latest
/// <see cref="MaxResolvedKept"/> resolved errors are kept for digests and the errors API (those never open go first).
/// Worst case, with 3-byte UTF-8 characters in every field: about 2.3 KB an error, 460 KB in all.
/// </summary>
[GenerateSerializer, Alias("alerts.error-book")]
public sealed class ErrorBook
{
    public static readonly TimeSpan RetryWindow = TimeSpan.FromMinutes(5);
    public const int MaxActive = 150;
    public const int MaxResolvedKept = 50;

    /// <summary>Messages are kept this long at most (the error log has them whole).</summary>
    public const int MaxMessageLength = 200;

    /// <summary>Retrying and open errors, oldest first.</summary>
    [Id(0)] public List<TrackedError> Active { get; set; } = [];

    /// <summary>Resolved errors, oldest resolution first.</summary>
    [Id(1)] public List<TrackedError> Resolved { get; set; } = [];

    [Id(2)] public long NextNumber { get; set; } = 1;

    /// <summary>Applies one reported attempt that Alerts learned of at <paramref name="knownAt"/> (its commit's time).</summary>
    public void Apply(Attempt attempt, DateTimeOffset knownAt)
    {
        CloseRetryWindows(knownAt);
        var flow = attempt.Flow ?? "";
        var occurredAt = attempt.OccurredAt ?? knownAt;
        if (attempt.Outcome == AttemptOutcome.Success)
        {
            if (RetryingCount == 0) return;
            for (var i = Active.Count - 1; i >= 0; i--)
            {
                var error = Active[i];
                if (error.Status == ErrorStatus.Retrying && error.Flow == flow && error.TraceKey == attempt.TraceKey && occurredAt >= error.FirstSeen)
                    MoveToResolved(i, ErrorResolution.RetrySucceeded, knownAt, null);
            }
            return;
        }

        if (Index.TryGetValue((flow, attempt.TraceKey, attempt.StatusCode), out var same))
        {
            Fold(same, attempt, occurredAt);
            Touch(same);
            if (same.Status == ErrorStatus.Retrying && !attempt.Retrying) Open(same, knownAt);
            return;
        }
        if (attempt.TraceKey is not null)
        {
            // SPEC §3.1: the flow's older errors with this key are resolved together; the new one is open.
            for (var i = Active.Count - 1; i >= 0; i--)
            {
                if (!Active[i].Overflow && Active[i].Flow == flow && Active[i].TraceKey == attempt.TraceKey)
                    MoveToResolved(i, ErrorResolution.Superseded, knownAt, null);
            }
        }
        if (Index.Count >= MaxActive)
        {
            var overflow = Active.Find(tracked => tracked.Overflow);
            if (overflow is null)
            {
                overflow = New(attempt, occurredAt, "", null, null);
                overflow.Overflow = true;
                overflow.Message = $"further distinct errors beyond the {MaxActive} tracked one by one (their details are in the error log)";
                Open(overflow, knownAt);
                Active.Add(overflow);
            }
            else
            {
                overflow.Occurrences++;
                if (occurredAt > overflow.LastSeen) overflow.LastSeen = occurredAt;
            }
            Touch(overflow);
            return;
        }
        var created = New(attempt, occurredAt, flow, attempt.TraceKey, attempt.StatusCode);
        if (attempt.Retrying && occurredAt + RetryWindow > knownAt)
        {
            created.Status = ErrorStatus.Retrying;
            created.RetryUntil = occurredAt + RetryWindow;
            CountRetrying(+1);
        }
        else
        {
            Open(created, knownAt);
        }
        Active.Add(created);
        Index.Add((flow, created.TraceKey, created.StatusCode), created);
        Touch(created);
    }

    /// <summary>Errors changed since the last <see cref="TakeChanges"/> (in memory only; at most every tracked error).</summary>
    [NonSerialized]
    private HashSet<TrackedError>? _changed;

    /// <summary>Resolved errors no longer kept since the last <see cref="TakeChanges"/>.</summary>
    [NonSerialized]
    private List<long>? _gone;

    private void Touch(TrackedError error) => (_changed ??= []).Add(error);

    /// <summary>
    /// What changed since the last call — errors new or changed, and numbers of errors no longer kept — and starts
    /// over: how an organization's index of tracked errors follows this book without asking for all of it.
    /// </summary>
    public (IReadOnlyList<TrackedError> Changed, IReadOnlyList<long> Gone) TakeChanges()
    {
        var changed = _changed is null ? [] : _changed.ToList();
        IReadOnlyList<long> gone = _gone ?? [];
        _changed = null;
        _gone = null;
        return (changed, gone);
    }

    /// <summary>The active errors tracked one by one, by what makes them the same problem (rebuilt after loading).</summary>
    [NonSerialized]
    private Dictionary<(string Flow, string? TraceKey, int? StatusCode), TrackedError>? _index;

    private Dictionary<(string Flow, string? TraceKey, int? StatusCode), TrackedError> Index =>
        _index ??= Active.Where(error => !error.Overflow).ToDictionary(error => (error.Flow, error.TraceKey, error.StatusCode));

    /// <summary>How many active errors are retrying (rebuilt after loading): a success costs nothing when none are.</summary>
    [NonSerialized]
    private int? _retrying;

    private int RetryingCount => _retrying ??= Active.Count(error => error.Status == ErrorStatus.Retrying);

    private void CountRetrying(int change) => _retrying = RetryingCount + change;

    /// <summary>Opens every retrying error whose window has closed by <paramref name="now"/>, as of the moment it closed.</summary>
    public void CloseRetryWindows(DateTimeOffset now)
    {
        if (RetryingCount == 0) return;
        foreach (var error in Active)
        {
            if (error.Status != ErrorStatus.Retrying || error.RetryUntil is not { } until || until > now) continue;
            Open(error, until);
        }
    }

    /// <summary>Resolves an active error by hand. Null when there is no such error; the error as it is otherwise.</summary>
    public (TrackedError Error, bool Changed)? ResolveByHand(long number, string by, DateTimeOffset at)
    {
        var index = Active.FindIndex(error => error.Number == number);
        if (index >= 0) return (MoveToResolved(index, ErrorResolution.Manual, at, by), true);
        var resolved = Resolved.Find(error => error.Number == number);
        return resolved is null ? null : (resolved, false);
    }

    public TrackedError? Find(long number) =>
        Active.Find(error => error.Number == number) ?? Resolved.Find(error => error.Number == number);

    private TrackedError New(Attempt attempt, DateTimeOffset occurredAt, string flow, string? traceKey, int? statusCode) => new()
    {
        Number = NextNumber++,
        Flow = flow,
        TraceKey = traceKey,
        StatusCode = statusCode,
        Message = Truncate(attempt.Message),
        Service = attempt.Service,
        FirstSeen = occurredAt,
        LastSeen = occurredAt,
        Occurrences = 1,
    };

    private static void Fold(TrackedError error, Attempt attempt, DateTimeOffset occurredAt)
    {
        error.Occurrences++;
        if (occurredAt < error.FirstSeen) error.FirstSeen = occurredAt;
        if (occurredAt < error.LastSeen) return;
        error.LastSeen = occurredAt;
        error.Message = Truncate(attempt.Message) ?? error.Message;
        error.Service = attempt.Service ?? error.Service;
    }

    private void Open(TrackedError error, DateTimeOffset at)
    {
        if (error.Status == ErrorStatus.Retrying && error.RetryUntil is not null) CountRetrying(-1);
        error.Status = ErrorStatus.Open;
        error.OpenedAt = at;
        error.RetryUntil = null;
        Touch(error);
    }

    private TrackedError MoveToResolved(int index, ErrorResolution resolution, DateTimeOffset at, string? by)
    {
        var error = Active[index];
        Active.RemoveAt(index);
        if (!error.Overflow) Index.Remove((error.Flow, error.TraceKey, error.StatusCode));
        if (error.Status == ErrorStatus.Retrying) CountRetrying(-1);
        error.Status = ErrorStatus.Resolved;
        error.Resolution = resolution;
        error.ResolvedAt = at;
        error.ResolvedBy = by;
        error.RetryUntil = null;
        Resolved.Add(error);
        Touch(error);
        if (Resolved.Count > MaxResolvedKept)
        {
            // Errors that were never open (resolved within their retry window) go first: no digest ever tells them, and
            // a flood of them must not push out a resolution the next digest owes someone.
            var silent = Resolved.FindIndex(resolved => resolved.OpenedAt is null);
            var dropped = Resolved[silent >= 0 ? silent : 0];
            Resolved.Remove(dropped);
            _changed?.Remove(dropped);
            (_gone ??= []).Add(dropped.Number);
        }
        return error;
    }

    private static string? Truncate(string? message) => message is { Length: > MaxMessageLength } ? message[..MaxMessageLength] : message;
}

/// <summary>One tracked error; see <see cref="ErrorView"/> for what each time means.</summary>
[GenerateSerializer, Alias("alerts.tracked-error")]
public sealed class TrackedError
{
    [Id(0)] public long Number { get; set; }
    [Id(1)] public string Flow { get; set; } = "";
    [Id(2)] public string? TraceKey { get; set; }
    [Id(3)] public int? StatusCode { get; set; }
    [Id(4)] public string? Message { get; set; }
    [Id(5)] public string? Service { get; set; }
    [Id(6)] public ErrorStatus Status { get; set; }
    [Id(7)] public DateTimeOffset FirstSeen { get; set; }
    [Id(8)] public DateTimeOffset LastSeen { get; set; }
    [Id(9)] public long Occurrences { get; set; }
    [Id(10)] public DateTimeOffset? RetryUntil { get; set; }
    [Id(11)] public DateTimeOffset? OpenedAt { get; set; }
    [Id(12)] public DateTimeOffset? ResolvedAt { get; set; }
    [Id(13)] public ErrorResolution? Resolution { get; set; }
    [Id(14)] public string? ResolvedBy { get; set; }
    [Id(15)] public bool Overflow { get; set; }

    public ErrorView ToView(string integrationId) => new(
        ErrorIds.Format(integrationId, Number), integrationId, Flow, TraceKey, StatusCode, Message, Service, Status, FirstSeen, LastSeen,
        Occurrences, RetryUntil, OpenedAt, ResolvedAt, Resolution, ResolvedBy, Overflow);
}
