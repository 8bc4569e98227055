using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.Organization;

namespace Alerts.Grains.Mutes;

/// <summary>
/// The organization's mute windows (issue 22, item 2): kept in the snapshot, changed with an audit line each, and asked
/// on the hot path through a cache that is valid until the next start or end of any mute. A reminder fires at each such
/// boundary, and <see cref="Changed"/> tells the parts that hold things back (thresholds, connection notices) to look
/// again: what is still over its limit, or in a new state, is told once.
/// </summary>
internal sealed class MuteBook(IOrganizationHost host, ReminderTable reminders, QuotaOptions quotas, Func<string, bool> scopeExists)
{
    public const int EndedKept = 20, AuditKept = 10;
    private const string Reminder = "mutes";

    /// <summary>Runs after a boundary or a change: the parts re-evaluate what the mutes held.</summary>
    public Func<Task> Changed { get; set; } = () => Task.CompletedTask;

    private List<MuteRecord> Mutes => host.State.Mutes;

    private DateTimeOffset _validUntil = DateTimeOffset.MinValue;
    private readonly Dictionary<Direction, (string MuteId, DateTimeOffset Until)> _directions = [];
    private readonly HashSet<string> _integrations = new(StringComparer.Ordinal);
    private readonly List<(string Scope, DateTimeOffset Until, string Reason)> _holding = [];

    public void RegisterReminders() => reminders.Handle(Reminder, OnBoundaryAsync);

    // ---- asked on the hot path ------------------------------------------------------------------------------------

    /// <summary>The mute silencing <paramref name="direction"/>'s threshold alerts now (the one lasting longest), if any.</summary>
    public (string MuteId, DateTimeOffset Until)? DirectionMuted(Direction direction, DateTimeOffset now)
    {
        Refresh(now);
        return _directions.TryGetValue(direction, out var muted) ? muted : null;
    }

    /// <summary>Whether an integration's errors are left out of the threshold count now.</summary>
    public bool IntegrationMuted(string integrationId, DateTimeOffset now)
    {
        Refresh(now);
        return _integrations.Count > 0 && _integrations.Contains(integrationId);
    }

    /// <summary>Until when a connection's notices are held by a mute, if one is in force now.</summary>
    public DateTimeOffset? ConnectionMutedUntil(string connectionId, DateTimeOffset now)
    {
        Refresh(now);
        DateTimeOffset? until = null;
        foreach (var (scope, end, _) in _holding)
        {
            if (MuteRules.CoversConnection(scope, connectionId) && (until is null || end > until)) until = end;
        }
        return until;
    }

    /// <summary>
    /// The reason of a mute in force now over an integration's errors (the organization, its direction, or the integration
    /// itself), for the digest to list them apart; null when none is.
    /// </summary>
    public string? ErrorsMutedBecause(string integrationId, Direction direction, DateTimeOffset now)
    {
        Refresh(now);
        foreach (var (scope, _, reason) in _holding)
        {
            if (MuteRules.CoversDirection(scope, direction) || MuteRules.IntegrationOf(scope) == integrationId) return reason;
        }
        return null;
    }

    private void Refresh(DateTimeOffset now)
    {
        if (now < _validUntil) return;
        _directions.Clear();
        _integrations.Clear();
        _holding.Clear();
        var valid = DateTimeOffset.MaxValue;
        foreach (var mute in Mutes)
        {
            if (MuteSchedule.NextBoundary(mute.Spec, mute.EndedAt, now) is { } boundary && boundary < valid) valid = boundary;
            if (MuteSchedule.Current(mute.Spec, mute.EndedAt, now) is not { } current) continue;
            foreach (var direction in Directions.All)
            {
                if (MuteRules.CoversDirection(mute.Spec.Scope, direction) && (!_directions.TryGetValue(direction, out var known) || current.End > known.Until))
                    _directions[direction] = (mute.Id, current.End);
            }
            if (MuteRules.IntegrationOf(mute.Spec.Scope) is { } integration) _integrations.Add(integration);
            _holding.Add((mute.Spec.Scope, current.End, mute.Spec.Reason));
        }
        // A weekly mute looks 8 days ahead: look again within a week even when nothing is due.
        _validUntil = valid < now + TimeSpan.FromDays(7) ? valid : now + TimeSpan.FromDays(7);
    }

    private void Invalidate() => _validUntil = DateTimeOffset.MinValue;

    // ---- the API's ---------------------------------------------------------------------------------------------------

    public IReadOnlyList<MuteView> List() => Mutes.OrderByDescending(m => m.CreatedAt).Select(m => View(m, host.Now)).ToList();

    public MuteView? Get(string muteId) => Mutes.Find(m => m.Id == muteId) is { } mute ? View(mute, host.Now) : null;

    public async Task<MuteView> CreateAsync(MuteSpec spec, string by)
    {
        var now = host.Now;
        spec = spec with { Reason = spec.Reason?.Trim() ?? "", StartsAt = spec.StartsAt ?? (spec.Weekly is null ? now : null) };
        ProfileRules.ThrowIfInvalid(MuteRules.Check(spec, now, scopeExists));
        if (Mutes.Count(m => !MuteSchedule.Over(m.Spec, m.EndedAt, now)) >= quotas.Mutes) throw QuotaOptions.Reached("mutes", quotas.Mutes, "mute windows not yet over");
        var mute = new MuteRecord
        {
            Id = "mute-" + now.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture) + "-" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture),
            Spec = spec,
            CreatedBy = by,
            CreatedAt = now,
        };
        Audit(mute, now, by, "created", Describe(spec));
        Mutes.Add(mute);
        Forget(now);
        return await SavedAsync(mute);
    }

    public async Task<MuteView?> UpdateAsync(string muteId, MutePatch patch, string by)
    {
        if (Mutes.Find(m => m.Id == muteId) is not { } mute) return null;
        var now = host.Now;
        if (mute.EndedAt is not null || MuteSchedule.Over(mute.Spec, mute.EndedAt, now))
            throw ProfileRules.Invalid("mute_id", "is over: create a new mute instead");
        var spec = mute.Spec with
        {
            StartsAt = patch.StartsAt ?? mute.Spec.StartsAt,
            EndsAt = patch.EndsAt ?? mute.Spec.EndsAt,
            Reason = patch.Reason?.Trim() ?? mute.Spec.Reason,
        };
        ProfileRules.ThrowIfInvalid(MuteRules.Check(spec, now, scopeExists));
        Audit(mute, now, by, "changed", Describe(spec));
        mute.Spec = spec;
        return await SavedAsync(mute);
    }

    /// <summary>Ends a mute now; what it held is told at once if it still matters.</summary>
    public async Task<MuteView?> EndAsync(string muteId, string by)
    {
        if (Mutes.Find(m => m.Id == muteId) is not { } mute) return null;
        var now = host.Now;
        if (mute.EndedAt is not null || MuteSchedule.Over(mute.Spec, mute.EndedAt, now)) return View(mute, now);
        mute.EndedAt = now;
        mute.EndedBy = by;
        Audit(mute, now, by, "ended", "ended early");
        return await SavedAsync(mute);
    }

    private async Task<MuteView> SavedAsync(MuteRecord mute)
    {
        Invalidate();
        await host.SaveAsync();
        await SyncReminderAsync();
        await Changed();
        return View(mute, host.Now);
    }

    private async Task OnBoundaryAsync()
    {
        Invalidate();
        await SyncReminderAsync();
        await Changed();
    }

    /// <summary>Keeps the reminder due at the next start or end of any mute; removes it when none is left.</summary>
    public Task SyncReminderAsync() => reminders.SyncAsync(Reminder, () =>
    {
        var now = host.Now;
        var next = Mutes.Select(m => MuteSchedule.NextBoundary(m.Spec, m.EndedAt, now)).Where(b => b is not null).Min();
        if (next is not { } due) return null;
        var wait = due - now;
        return (wait > TimeSpan.Zero ? wait : TimeSpan.Zero, TimeSpan.FromDays(1));
    });

    /// <summary>Mutes that are over stay for their audit trail, the latest <see cref="EndedKept"/> of them.</summary>
    private void Forget(DateTimeOffset now)
    {
        var over = Mutes.Where(m => MuteSchedule.Over(m.Spec, m.EndedAt, now)).OrderByDescending(m => MuteSchedule.Until(m.Spec, m.EndedAt)).Skip(EndedKept).ToList();
        foreach (var mute in over) Mutes.Remove(mute);
    }

    private static void Audit(MuteRecord mute, DateTimeOffset now, string by, string action, string detail)
    {
        mute.Audit.Add(new MuteAudit(now, by, action, detail));
        // The first line (who created it) stays; the oldest changes after it go.
        if (mute.Audit.Count > AuditKept) mute.Audit.RemoveAt(1);
    }

    private static string Describe(MuteSpec spec)
    {
        var when = spec.Weekly is { } weekly
            ? $"weekly {string.Join(",", weekly.Days.Select(d => d.ToString()[..3].ToLowerInvariant()))} {weekly.Start:HH\\:mm}-{weekly.End:HH\\:mm} {weekly.TimeZone}"
            : $"{Time(spec.StartsAt)} to {Time(spec.EndsAt)}";
        return $"{spec.Scope}, {when}: {spec.Reason}";
    }

    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";

    private static MuteView View(MuteRecord mute, DateTimeOffset now)
    {
        var current = MuteSchedule.Current(mute.Spec, mute.EndedAt, now);
        return new MuteView(mute.Id, mute.Spec, mute.CreatedBy, mute.CreatedAt, mute.EndedAt, mute.EndedBy, mute.Audit.ToList(),
            current is not null, current?.End, current is null ? MuteSchedule.NextStart(mute.Spec, mute.EndedAt, now) : null);
    }
}

/// <summary>A mute as stored in the organization's snapshot (≤ ~1.6 KB with its audit trail).</summary>
[GenerateSerializer, Alias("alerts.mute-record")]
public sealed class MuteRecord
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public MuteSpec Spec { get; set; } = null!;
    [Id(2)] public string CreatedBy { get; set; } = "";
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset? EndedAt { get; set; }
    [Id(5)] public string? EndedBy { get; set; }
    [Id(6)] public List<MuteAudit> Audit { get; set; } = [];
}
