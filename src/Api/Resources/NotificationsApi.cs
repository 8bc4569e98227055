using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary>
/// <c>/api/v1/orgs/{org_id}/notifications</c>: the notification log — what was sent, is waiting, or was called off —
/// newest first, a page at a time; and one notification with every recipient's result.
/// </summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/orgs/{org_id}/notifications").WithTags("Notifications");
        notifications.MapGet("/", ListAsync).WithName("ListNotifications").Refusals()
            .WithSummary("Lists notifications, newest first; ?limit=1-200&cursor=&kind=&status= (cursor: the previous page's next).");
        notifications.MapGet("/{notification_id}", GetAsync).WithName("GetNotification").Refusals()
            .WithSummary("Reads a notification with each recipient's status, attempts, last relay reply and times.");
        return api;
    }

    public static async Task<Results<Ok<NotificationListResponse>, ProblemHttpResult>> ListAsync(string org_id, IGrainFactory grains, int? limit, string? cursor, string? kind, string? status)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        if (limit is < 1 or > NotificationQuery.MaxLimit) return Problems.Invalid("limit", $"must be between 1 and {NotificationQuery.MaxLimit}");
        if (cursor is not null && NotificationCursor.Decode(cursor) is null) return Problems.Invalid("cursor", "is not a cursor this log issued (use the previous page's next)");
        NotificationKind? kindFilter = null;
        if (kind is not null)
        {
            if (!NotificationWire.TryParseKind(kind, out var parsed))
                return Problems.Invalid("kind", $"must be one of {string.Join(", ", Enum.GetValues<NotificationKind>().Select(k => k.Wire()))}");
            kindFilter = parsed;
        }
        NotificationStatus? statusFilter = null;
        if (status is not null)
        {
            if (!NotificationWire.TryParseStatus(status, out var parsed) || parsed == NotificationStatus.Dropped)
                return Problems.Invalid("status", "must be one of pending, sent, failed, no_recipients, cancelled");
            statusFilter = parsed;
        }
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        var page = await org.ListNotificationsAsync(new NotificationQuery(limit ?? 50, cursor, kindFilter, statusFilter));
        return TypedResults.Ok(new NotificationListResponse(page.Items.Select(NotificationResponse.From).ToList(), page.Next));
    }

    public static async Task<Results<Ok<NotificationDetailResponse>, ProblemHttpResult>> GetAsync(string org_id, string notification_id, IGrainFactory grains)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        if (await org.GetNotificationAsync(notification_id) is not { } detail) return Problems.NotFound("notification", notification_id);
        return TypedResults.Ok(new NotificationDetailResponse(
            NotificationResponse.From(detail.Notification),
            detail.Recipients.Select(r => new RecipientResponse(r.Address, r.Status.Wire(), r.Attempts, r.Reply, r.SentAt, r.UpdatedAt)).ToList()));
    }
}

public sealed record NotificationResponse(
    string Id, string Kind, string? Direction, IReadOnlyList<string> Recipients, int RecipientCount, int Delivered, string Subject,
    string Status, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, int Attempts, string? LastError, int ErrorCount, string? CancelReason)
{
    public static NotificationResponse From(NotificationView view) => new(
        view.Id, view.Kind.Wire(), view.Direction?.Wire(), view.Recipients, view.RecipientCount, view.Delivered, view.Subject,
        view.Status.Wire(), view.CreatedAt, view.SentAt, view.Attempts, view.LastError, view.ErrorCount, view.CancelReason);
}

public sealed record NotificationListResponse(IReadOnlyList<NotificationResponse> Notifications, string? Next);

public sealed record RecipientResponse(string Address, string Status, int Attempts, string? Reply, DateTimeOffset? SentAt, DateTimeOffset? UpdatedAt);

public sealed record NotificationDetailResponse(NotificationResponse Notification, IReadOnlyList<RecipientResponse> Recipients);
