using System.Globalization;
using Alerts.Contracts;
using Alerts.Contracts.Telemetry;
using Alerts.Grains.Notify;
using Alerts.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Grains.Targets;

/// <summary>
/// An organization's delivery targets (issue 22, item 1): what they are, who receives what on them, and each target's
/// breaker (<see cref="WebhookBreaker"/>: six failed sends in a row disable it, and its owner — the user, or for a shared
/// target the organization's admins — is told by e-mail). The URLs are secrets: only the channels read them, at send time.
/// </summary>
public sealed partial class DeliveryTargetsGrain(
    [PersistentState("targets", StorageNames.Grains)] IPersistentState<DeliveryTargetsState> state,
    [FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    IWebhookSender sender,
    IOptions<QuotaOptions> quotas,
    IOptions<DeliveryOptions> delivery,
    ILogger<DeliveryTargetsGrain> logger)
    : Grain, IDeliveryTargetsGrain, ITargetDelivery
{
    /// <summary>A failure's text as kept (the last error, why it was disabled): the reply's start is enough to act on.</summary>
    public const int MaxFailureText = 200;

    private DeliveryTargetsState State => state.State;
    private string OrgId => this.GetPrimaryKeyString();
    private IOrganizationGrain Organization => GrainFactory.GetOrganization(OrgId);
    private Alerts.Grains.Organization.IOrganizationTargetFlag Flag => GrainFactory.GetGrain<Alerts.Grains.Organization.IOrganizationTargetFlag>(OrgId);

    /// <summary>Set while notices are being handed over: one hand-over at a time.</summary>
    private bool _handingOver;

    /// <summary>Notices a crash left undelivered go out from a timer turn (not interleaved with requests).</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Notices.Count > 0)
            this.RegisterGrainTimer(_ => HandOverNoticesAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    public async Task<TargetWithSecret> CreateAsync(TargetSpec spec)
    {
        var name = (spec.Name ?? "").Trim();
        if (name.Length is 0 or > ProfileRules.MaxNameLength) throw ProfileRules.Invalid("name", $"is required, at most {ProfileRules.MaxNameLength} characters");
        if (WebhookUrlGuard.ShapeProblem(spec.Url ?? "") is { } shape) throw ProfileRules.Invalid("url", shape);
        List<string> events = [];
        if (spec.UserId is { } userId)
        {
            if (spec.Events is { Count: > 0 }) throw ProfileRules.Invalid("events", "is for shared targets: a user's target gets what the user is subscribed to");
            if (await Organization.GetUserAsync(userId) is null) throw ProfileRules.Invalid("user_id", $"'{userId}' is not a user of this organization");
            if (State.Targets.Count(t => t.UserId == userId) >= TargetRules.MaxPerUser)
                throw ProfileRules.Invalid("user_id", $"has {TargetRules.MaxPerUser} targets already: delete one first");
        }
        else
        {
            var given = spec.Events ?? [];
            if (given.Count == 0) throw ProfileRules.Invalid("events", $"is required for a shared target: one or more of {string.Join(", ", TargetRules.SharedEvents)}");
            for (var i = 0; i < given.Count; i++)
            {
                if (!TargetRules.SharedEvents.Contains(given[i], StringComparer.Ordinal))
                    throw ProfileRules.Invalid($"events[{i}]", $"must be one of {string.Join(", ", TargetRules.SharedEvents)}");
            }
            events = given.Distinct(StringComparer.Ordinal).ToList();
        }
        if (State.Targets.Count >= quotas.Value.Targets) throw QuotaOptions.Reached("targets", quotas.Value.Targets, "delivery targets");
        if (await sender.CheckUrlAsync(spec.Url!, CancellationToken.None) is { } refused) throw ProfileRules.Invalid("url", refused);

        var target = new StoredTarget
        {
            Id = RandomIds.New("tgt_"), Type = spec.Type, Url = spec.Url!, Name = name, UserId = spec.UserId, Events = events, CreatedAt = clock.GetUtcNow(),
            Secret = spec.Type == TargetType.Webhook ? WebhookSignature.NewSecret() : null,
        };
        // The organization learns it has targets before the first one can be used; a failed write after leaves only a flag.
        if (State.Targets.Count == 0) await Flag.TargetsChangedAsync(true);
        State.Targets.Add(target);
        await state.WriteStateAsync();
        return new TargetWithSecret(target.ToView(), target.Secret);
    }

    public Task<IReadOnlyList<TargetView>> ListAsync(string? userId) => Task.FromResult<IReadOnlyList<TargetView>>(
        State.Targets.Where(t => userId is null || t.UserId == userId).Select(t => t.ToView()).ToList());

    public Task<TargetView?> GetAsync(string targetId) => Task.FromResult(Find(targetId)?.ToView());

    public async Task<bool> DeleteAsync(string targetId)
    {
        if (Find(targetId) is not { } target) return false;
        State.Targets.Remove(target);
        await state.WriteStateAsync();
        if (State.Targets.Count == 0) await Flag.TargetsChangedAsync(false);
        return true;
    }

    public async Task<TargetView?> EnableAsync(string targetId)
    {
        if (Find(targetId) is not { } target) return null;
        target.Breaker = BreakerRecord.Of(WebhookBreaker.Enable(target.Breaker.ToState()));
        await state.WriteStateAsync();
        return target.ToView();
    }

    public async Task RemoveUserAsync(string userId)
    {
        if (State.Targets.RemoveAll(t => t.UserId == userId) == 0) return;
        await state.WriteStateAsync();
        if (State.Targets.Count == 0) await Flag.TargetsChangedAsync(false);
    }

    public Task<IReadOnlyList<TargetRecipient>> RecipientsAsync(IReadOnlyList<string> subscribedUsers, string audience)
    {
        if (State.Targets.Count == 0) return Task.FromResult<IReadOnlyList<TargetRecipient>>([]);
        var users = subscribedUsers.ToHashSet(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<TargetRecipient>>(State.Targets
            .Where(t => t.Breaker.Enabled && (t.UserId is { } owner ? users.Contains(owner) : TargetRules.SharedFollows(t.Events, audience)))
            .Select(t => new TargetRecipient(t.UserId, t.RecipientKey))
            .ToList());
    }

    public Task<TargetAddress?> ResolveAsync(string targetId) =>
        Task.FromResult(Find(targetId) is { } target ? new TargetAddress(target.Type, target.Url, target.Secret, target.Breaker.Enabled) : null);

    public async Task AttemptedAsync(string targetId, bool succeeded, string? failure, int? status)
    {
        if (Find(targetId) is not { } target) return;
        if (failure is { Length: > MaxFailureText }) failure = failure[..(MaxFailureText - 1)] + "…";
        var now = clock.GetUtcNow();
        var (breaker, notice) = WebhookBreaker.Attempted(target.Breaker.ToState(), succeeded, failure, now);
        var changed = breaker != target.Breaker.ToState() || succeeded != (target.LastError is null)
            || (succeeded && (target.LastDeliveredAt is not { } last || now - last >= TimeSpan.FromMinutes(1)));
        target.Breaker = BreakerRecord.Of(breaker);
        target.LastError = succeeded ? null : failure;
        if (succeeded) target.LastDeliveredAt = now;
        if (notice == BreakerNotice.Disabled)
        {
            State.NoticesDecided++;
            State.Notices.Add(new TargetNotice(string.Create(CultureInfo.InvariantCulture, $"target-{targetId}-{State.NoticesDecided}"), targetId, now));
            LogDisabled(logger, OrgId, targetId, breaker.ConsecutiveFailures, failure);
        }
        // A success right after a success is not written: the time of the last delivery is kept to the minute.
        if (changed || notice != BreakerNotice.None) await state.WriteStateAsync();
        if (State.Notices.Count > 0) await HandOverNoticesAsync();
    }

    public async Task<string?> SendTestAsync(string targetId)
    {
        if (Find(targetId) is not { } target || await Organization.GetAsync() is not { } org) return null;
        var now = clock.GetUtcNow();
        var test = new TestNotification(OrgId, org.Profile.Name, org.Profile.Environment, org.Profile.Production, target.UserId ?? target.Name, now);
        var entry = new OutboxEntry
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"test-{targetId}-{now.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}"),
            Payload = test, Subject = test.Subject, CreatedAt = now, TraceParent = AlertsTelemetry.CurrentTraceParent(),
        };
        await GrainFactory.GetGrain<IOutboxGrain>(OrgId).EnqueueAsync(entry, [target.RecipientKey]);
        return entry.Id;
    }

    /// <summary>Each decided notice to the outbox (which ignores an id it knows), then forgotten.</summary>
    private async Task HandOverNoticesAsync()
    {
        if (_handingOver) return;
        _handingOver = true;
        try
        {
            while (State.Notices.Count > 0)
            {
                var decided = State.Notices[0];
                if (Find(decided.TargetId) is { } target && await Organization.GetAsync() is { } org)
                {
                    var emails = target.UserId is { } userId && await Organization.GetUserAsync(userId) is { } owner
                        ? [owner.Profile.Email]
                        : OwnerNotices.AdminAddresses(org, await Organization.ListAdminsAsync());
                    var page = $"{delivery.Value.AdminUiUrl.TrimEnd('/')}/orgs/{Uri.EscapeDataString(OrgId)}/targets";
                    var notice = new WebhookNotice(OrgId, org.Profile.Name, org.Profile.Environment, org.Profile.Production, NotificationKind.WebhookDisabled,
                        target.Id, TargetRules.Masked(target.Url), target.Breaker.ConsecutiveFailures, null, target.Breaker.DisabledReason, decided.At, page,
                        Noun: TargetNoun(target.Type));
                    if (emails.Count > 0)
                    {
                        await GrainFactory.GetGrain<IOutboxGrain>(OrgId).EnqueueAsync(
                            new OutboxEntry { Id = decided.Id, Payload = notice, Subject = notice.Subject, CreatedAt = decided.At, TraceParent = AlertsTelemetry.CurrentTraceParent() },
                            emails.Select(address => Recipient.Email(address).Key).ToList());
                    }
                }
                State.Notices.Remove(decided);
                await state.WriteStateAsync();
            }
        }
        catch (Exception exception)
        {
            LogNoticeFailed(logger, exception, OrgId);
        }
        finally
        {
            _handingOver = false;
        }
    }

    public static string TargetNoun(TargetType type) => type switch
    {
        TargetType.Slack => "Slack target",
        TargetType.Teams => "Teams target",
        _ => "Webhook target",
    };

    private StoredTarget? Find(string targetId) => State.Targets.Find(t => t.Id == targetId);

    [LoggerMessage(2301, LogLevel.Warning, "Organization {OrgId}: delivery target {TargetId} disabled after {Failures} failures in a row: {Error}")]
    private static partial void LogDisabled(ILogger logger, string orgId, string targetId, int failures, string? error);

    [LoggerMessage(2302, LogLevel.Warning, "Organization {OrgId}: telling a target's owner it was disabled failed; the next send or activation tries again")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception, string orgId);
}
