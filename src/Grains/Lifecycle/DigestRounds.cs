using System.Globalization;
using System.Text;
using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Alerts.Grains.Organization;
using Alerts.Grains.Projection;
using Alerts.Contracts.Telemetry;

namespace Alerts.Grains.Lifecycle;

/// <summary>
/// The digest round (SPEC §3.3), every <see cref="DigestOptions.Interval"/> at the organization's own offset: tells
/// each user following flows what opened and resolved since the last round anyone was told something
/// (<see cref="DigestPolicy"/>), as one outbox entry with a payload per recipient stored beside it. Its state is two
/// fields of the snapshot: the last round told and a round written but not yet handed over.
/// </summary>
internal sealed class DigestRounds(
    IOrganizationHost host, Members members, People people, ProjectionPump projection, ErrorQueries errors, HandOver handOver,
    INotificationHistory notifications, ReminderTable reminders, DigestOptions options, Mutes.MuteBook mutes)
{
    private const string Reminder = "digest";

    /// <summary>Each recipient's digest rows are stored this many at a time.</summary>
    private const int PersonalRowsPerWrite = 200;

    private bool _running;

    private OrganizationState State => host.State;

    public void RegisterReminders() => reminders.Handle(Reminder, RunAsync);

    /// <summary>
    /// One digest round as of now. When nobody is told anything, nothing is written: the next round then covers both
    /// periods, which decides exactly as two rounds would have. Otherwise the round is written before it is handed
    /// over, so a crash in between hands the same round over again (the outbox ignores an entry it knows).
    /// </summary>
    public async Task RunAsync()
    {
        if (_running || State.Profile is null) return;
        _running = true;
        try
        {
            if (State.PendingDigest is { } pending)
            {
                // A round decided and written is handed over before the next is decided (the next starts where it ended).
                try
                {
                    await HandOverAsync(pending);
                }
                catch (Exception exception)
                {
                    Log.HandOverFailed(host.Logger, exception, host.OrgId);
                    return;
                }
            }
            // The round is as of a moment up to which every commit is applied: an error committed just before it is in
            // this round, never stamped before it and missed. If the projection is stuck, the round waits for the next tick.
            if (await projection.ProjectedAsOfAsync(TimeSpan.FromSeconds(20)) is not { } asOf || asOf <= State.LastDigestAt) return;
            var round = new DigestRound(State.LastDigestAt, asOf);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var digests = await DecideAsync(round);
            if (digests.Count == 0) return;
            AlertsMetrics.DigestRoundDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            State.PendingDigest = round;
            State.LastDigestAt = round.At;
            await host.SaveAsync();
            await HandOverAsync(round, digests);
        }
        finally
        {
            _running = false;
        }
    }

    /// <summary>After an activation: a round written but not handed over is handed over now (unless a round runs).</summary>
    public async Task ResumeAsync()
    {
        if (State.PendingDigest is not { } round || _running) return;
        _running = true;
        try
        {
            await HandOverAsync(round);
        }
        finally
        {
            _running = false;
        }
    }

    private async Task HandOverAsync(DigestRound round, List<UserDigest>? digests = null)
    {
        digests ??= await DecideAsync(round);
        var profile = State.Profile!;
        var errorsUrl = string.IsNullOrWhiteSpace(options.PublicApiUrl)
            ? null
            : $"{options.PublicApiUrl.TrimEnd('/')}/api/v1/orgs/{Uri.EscapeDataString(host.OrgId)}/errors?status=open";
        var personal = new Dictionary<string, NotificationPayload>(StringComparer.OrdinalIgnoreCase);
        foreach (var digest in digests)
        {
            personal.TryAdd(digest.Subscriber.Email, new ErrorDigest(
                host.OrgId, profile.Name, profile.Environment, profile.Production, round.At, round.Previous,
                Part(digest.New), Part(digest.Resolved), Part(digest.Open), errorsUrl));
        }
        await AddTargetsAsync(personal);
        var entry = new OutboxEntry
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"digest-{round.At.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}"),
            Payload = new ErrorDigest(host.OrgId, profile.Name, profile.Environment, profile.Production, round.At, round.Previous,
                DigestPart.Empty, DigestPart.Empty, DigestPart.Empty, errorsUrl),
            Subject = ErrorDigest.RoundSubject(profile.Environment, profile.Production),
            CreatedAt = round.At,
            Personal = true,
            TraceParent = AlertsTelemetry.CurrentTraceParent(),
        };
        // Each recipient's digest is stored here, a few hundred at a time, and only the addresses go to the outbox: a
        // round for thousands of followers is never one huge message. Stored again after a crash, the rows are the same.
        foreach (var chunk in personal.Chunk(PersonalRowsPerWrite))
            await notifications.SavePersonalAsync(host.OrgId, entry.Id, chunk.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase));
        await handOver.EnqueueAsync(entry, personal.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList());
        // Written with the next snapshot, not now: until then a reactivation hands the round over again, which the outbox
        // ignores (it knows the entry).
        State.PendingDigest = null;
        host.MarkDirty();
    }

    /// <summary>Each follower's delivery targets get the digest their address gets (a shared target follows no digest).</summary>
    private async Task AddTargetsAsync(Dictionary<string, NotificationPayload> personal)
    {
        if (!host.State.HasTargets) return;
        var emails = (await people.AllAsync()).Where(pair => pair.Value.Follows.FollowsErrors)
            .ToDictionary(pair => pair.Key, pair => pair.Value.Email, StringComparer.Ordinal);
        var targets = await host.GrainFactory.GetGrain<Targets.ITargetDelivery>(host.OrgId).RecipientsAsync(emails.Keys.ToList(), UserProfile.DigestAudience);
        foreach (var target in targets)
        {
            if (target.UserId is { } userId && emails.TryGetValue(userId, out var email) && personal.TryGetValue(email, out var digest))
                personal.TryAdd(target.Key, digest);
        }
    }

    /// <summary>A section's lines; errors under a mute in force carry its reason, so the digest lists them apart.</summary>
    private DigestPart Part(DigestSection section) => new(section.Count, section.Details
        .Select(error => members.Integrations.TryGetValue(error.IntegrationId, out var known)
            ? new DigestLine(error, known.Name, known.Type, mutes.ErrorsMutedBecause(error.IntegrationId, known.Type.Direction(), host.Now))
            : new DigestLine(error, error.IntegrationId))
        .ToList());

    /// <summary>Each follower's digest for the round, from the errors of the integrations anyone follows.</summary>
    private async Task<List<UserDigest>> DecideAsync(DigestRound round)
    {
        var subscribers = await SubscribersAsync();
        if (subscribers.Count == 0) return [];
        var followed = subscribers.SelectMany(s => s.Scopes).Select(scope => scope.IntegrationId).Distinct(StringComparer.Ordinal)
            .Where(members.Integrations.ContainsKey).ToList();
        var found = (await Task.WhenAll(followed.Select(id => errors.Errors(id).ErrorsAsync(round.At)))).SelectMany(list => list).ToList();
        return DigestPolicy.Decide(subscribers, found, round.Previous, round.At, options.MaxDetails);
    }

    /// <summary>
    /// One subscriber per address: users sharing an e-mail address (a team mailbox) get one digest of everything any of
    /// them follows (a scope followed by several counts from the earliest of them).
    /// </summary>
    private async Task<List<DigestSubscriber>> SubscribersAsync()
    {
        var byAddress = new Dictionary<string, DigestSubscriber>(StringComparer.OrdinalIgnoreCase);
        foreach (var (userId, user) in await people.AllAsync())
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
    public async Task ScheduleAsync()
    {
        if (State.DigestScheduled || !(await people.AllAsync()).Any(pair => pair.Value.Follows.FollowsErrors)) return;
        var interval = options.Interval;
        await reminders.SetAsync(Reminder, DigestPhase(host.OrgId, host.Now, interval), interval);
        State.DigestScheduled = true;
        await host.SaveAsync();
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
