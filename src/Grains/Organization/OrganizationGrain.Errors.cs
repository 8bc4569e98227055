using System.Globalization;
using System.Text;
using Alerts.Contracts;
using Alerts.Grains.Errors;
using Alerts.Grains.Notify;
using Alerts.Grains.State;

namespace Alerts.Grains.Organization;

/// <summary>
/// The error lifecycle (SPEC §3): each integration grain tracks its own errors from the journal's commits; the
/// organization lists them, resolves them by hand, and runs the digest round every <see cref="DigestOptions.Interval"/>.
/// A round tells each user following flows what opened and resolved since the last round anyone was told something
/// (<see cref="DigestPolicy"/>), as one outbox entry with a payload per recipient.
/// </summary>
public sealed partial class OrganizationGrain
{
    private const string DigestReminder = "digest";

    public async Task<ErrorPage> ListErrorsAsync(ErrorQuery query)
    {
        if (query.Limit is < 1 or > ErrorQuery.MaxLimit) ProfileRules.ThrowIfInvalid(("limit", $"must be 1 to {ErrorQuery.MaxLimit}"));
        (long Ticks, string Id)? after = null;
        if (query.Cursor is not null) after = ErrorCursor.Decode(query.Cursor) ?? throw ProfileRules.Invalid("cursor", "is not one this API issued (use the previous page's next)");
        if (State.Profile is null) return new ErrorPage([], null);
        var asOf = await ProjectedAsOfAsync(TimeSpan.FromSeconds(5)) ?? DateTimeOffset.MinValue;
        var integrations = query.IntegrationId is { } only
            ? _integrations.ContainsKey(only) ? [only] : []
            : _integrations.Keys.ToList();
        var found = new List<ErrorView>();
        foreach (var errors in await Task.WhenAll(integrations.Select(id => IntegrationErrors(id).ErrorsAsync(asOf))))
        {
            foreach (var error in errors)
            {
                if (query.Status is { } status && error.Status != status) continue;
                if (query.Flow is { } flow && error.Flow != flow) continue;
                if (after is { } cursor && ErrorCursor.Compare(error, cursor) <= 0) continue;
                found.Add(error);
            }
        }
        var page = found.OrderBy(error => error, Comparer<ErrorView>.Create((a, b) => ErrorCursor.Compare(a, ErrorCursor.Of(b)))).Take(query.Limit + 1).ToList();
        var next = page.Count > query.Limit ? ErrorCursor.Encode(page[query.Limit - 1]) : null;
        return new ErrorPage(page.Take(query.Limit).ToList(), next);
    }

    public async Task<ResolveResult> ResolveErrorAsync(string errorId, string userId)
    {
        if (!_users.TryGetValue(userId, out var user)) return new ResolveResult(ResolveStatus.NoSuchUser, null);
        if (user.Role != UserRole.Admin) return new ResolveResult(ResolveStatus.NotAdmin, null);
        if (!ErrorIds.TryParse(errorId, out var integrationId, out var number) || !_integrations.ContainsKey(integrationId))
            return new ResolveResult(ResolveStatus.NoSuchError, null);
        await CatchUpAsync();
        var resolved = await IntegrationErrors(integrationId).ResolveAsync(number, userId, Now);
        return resolved switch
        {
            null => new ResolveResult(ResolveStatus.NoSuchError, null),
            { Changed: true } => new ResolveResult(ResolveStatus.Resolved, resolved.Value.Error),
            _ => new ResolveResult(ResolveStatus.AlreadyResolved, resolved.Value.Error),
        };
    }

    private IIntegrationErrors IntegrationErrors(string integrationId) =>
        GrainFactory.GetGrain<IIntegrationErrors>(GrainKeys.Integration(OrgId, integrationId));

    private bool _digestRunning;

    /// <summary>
    /// One digest round as of now. When nobody is told anything, nothing is written: the next round then covers both
    /// periods, which decides exactly as two rounds would have. Otherwise the round is written before it is handed
    /// over, so a crash in between hands the same round over again (the outbox ignores an entry it knows).
    /// </summary>
    public async Task RunDigestAsync()
    {
        if (_digestRunning || State.Profile is null) return;
        _digestRunning = true;
        try
        {
            if (State.PendingDigest is { } pending)
            {
                // A round decided and written is handed over before the next is decided (the next starts where it ended).
                try
                {
                    await HandOverDigestAsync(pending);
                }
                catch (Exception exception)
                {
                    Log.HandOverFailed(logger, exception, OrgId);
                    return;
                }
            }
            // The round is as of a moment up to which every commit is applied: an error committed just before it is in
            // this round, never stamped before it and missed. If the projection is stuck, the round waits for the next tick.
            if (await ProjectedAsOfAsync(TimeSpan.FromSeconds(20)) is not { } asOf || asOf <= State.LastDigestAt) return;
            var round = new DigestRound(State.LastDigestAt, asOf);
            var digests = await DecideDigestsAsync(round);
            if (digests.Count == 0) return;
            State.PendingDigest = round;
            State.LastDigestAt = round.At;
            await SaveAsync();
            await HandOverDigestAsync(round, digests);
        }
        finally
        {
            _digestRunning = false;
        }
    }

    private async Task HandOverDigestAsync(DigestRound round, List<UserDigest>? digests = null)
    {
        digests ??= await DecideDigestsAsync(round);
        var profile = State.Profile!;
        var options = digestOptions.Value;
        var errorsUrl = string.IsNullOrWhiteSpace(options.PublicApiUrl)
            ? null
            : $"{options.PublicApiUrl.TrimEnd('/')}/api/v1/orgs/{Uri.EscapeDataString(OrgId)}/errors?status=open";
        var personal = new Dictionary<string, NotificationPayload>(StringComparer.OrdinalIgnoreCase);
        foreach (var digest in digests)
        {
            personal.TryAdd(digest.Subscriber.Email, new ErrorDigest(
                OrgId, profile.Name, profile.Environment, profile.Production, round.At, round.Previous,
                Part(digest.New), Part(digest.Resolved), Part(digest.Open), errorsUrl));
        }
        var entry = new OutboxEntry
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"digest-{round.At.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}"),
            Payload = new ErrorDigest(OrgId, profile.Name, profile.Environment, profile.Production, round.At, round.Previous,
                DigestPart.Empty, DigestPart.Empty, DigestPart.Empty, errorsUrl),
            Subject = EmailTemplates.Subject(EmailTemplates.DigestTitle, profile.Environment, profile.Production),
            CreatedAt = round.At,
            Personal = true,
        };
        // Each recipient's digest is stored here, a few hundred at a time, and only the addresses go to the outbox: a
        // round for thousands of followers is never one huge message. Stored again after a crash, the rows are the same.
        foreach (var chunk in personal.Chunk(PersonalRowsPerWrite))
            await notifications.SavePersonalAsync(OrgId, entry.Id, chunk.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase));
        await Outbox.EnqueueAsync(entry, personal.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList());
        // Written with the next snapshot, not now: until then a reactivation hands the round over again, which the outbox
        // ignores (it knows the entry).
        State.PendingDigest = null;
        _commitsSinceSnapshot++;
    }

    private const int PersonalRowsPerWrite = 200;

    private DigestPart Part(DigestSection section) => new(section.Count, section.Details
        .Select(error => _integrations.TryGetValue(error.IntegrationId, out var known)
            ? new DigestLine(error, known.Name, known.Type)
            : new DigestLine(error, error.IntegrationId))
        .ToList());

    /// <summary>Each follower's digest for the round, from the errors of the integrations anyone follows.</summary>
    private async Task<List<UserDigest>> DecideDigestsAsync(DigestRound round)
    {
        var subscribers = DigestSubscribers();
        if (subscribers.Count == 0) return [];
        var followed = subscribers.SelectMany(s => s.Scopes).Select(scope => scope.IntegrationId).Distinct(StringComparer.Ordinal)
            .Where(_integrations.ContainsKey).ToList();
        var errors = (await Task.WhenAll(followed.Select(id => IntegrationErrors(id).ErrorsAsync(round.At)))).SelectMany(list => list).ToList();
        return DigestPolicy.Decide(subscribers, errors, round.Previous, round.At, digestOptions.Value.MaxDetails);
    }

    /// <summary>
    /// One subscriber per address: users sharing an e-mail address (a team mailbox) get one digest of everything any of
    /// them follows (a scope followed by several counts from the earliest of them).
    /// </summary>
    private List<DigestSubscriber> DigestSubscribers()
    {
        var byAddress = new Dictionary<string, DigestSubscriber>(StringComparer.OrdinalIgnoreCase);
        foreach (var (userId, user) in _users.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var follows = user.Follows;
            if (!follows.FollowsErrors) continue;
            var scopes = new List<DigestScope>(follows.Flows.Count + follows.Integrations.Count);
            foreach (var flow in follows.Flows)
                scopes.Add(new DigestScope(flow.IntegrationId, flow.Flow, user.Since(Subscriptions.ScopeKey(flow.IntegrationId, flow.Flow)) ?? DateTimeOffset.MinValue));
            foreach (var integrationId in follows.Integrations)
                scopes.Add(new DigestScope(integrationId, null, user.Since(Subscriptions.ScopeKey(integrationId, null)) ?? DateTimeOffset.MinValue));
            byAddress[user.Email] = byAddress.TryGetValue(user.Email, out var shared)
                ? shared with { Scopes = [.. shared.Scopes, .. scopes] }
                : new DigestSubscriber(userId, user.Email, scopes);
        }
        return byAddress.Values.ToList();
    }

    /// <summary>
    /// Registers the digest reminder once somebody follows flows. Each organization's rounds fall at its own offset
    /// within the interval (from a hash of its id), so many organizations' rounds do not all run at once.
    /// </summary>
    private async Task ScheduleDigestAsync()
    {
        if (State.DigestScheduled || !_users.Values.Any(user => user.Follows.FollowsErrors)) return;
        var interval = digestOptions.Value.Interval;
        await this.RegisterOrUpdateReminder(DigestReminder, DigestPhase(OrgId, Now, interval), interval);
        State.DigestScheduled = true;
        await SaveAsync();
    }

    /// <summary>The wait until this organization's next round: rounds fall at a fixed offset from the epoch's multiples of the interval.</summary>
    public static TimeSpan DigestPhase(string orgId, DateTimeOffset now, TimeSpan interval)
    {
        var offset = (long)(System.IO.Hashing.XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(orgId)) % (ulong)interval.Ticks);
        var sinceSlot = (now.UtcTicks - offset) % interval.Ticks;
        if (sinceSlot < 0) sinceSlot += interval.Ticks;
        return TimeSpan.FromTicks(interval.Ticks - sinceSlot);
    }
}
