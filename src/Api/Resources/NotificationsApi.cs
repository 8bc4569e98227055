using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary><c>GET /api/v1/orgs/{org_id}/notifications</c>: what was sent or is waiting to be, newest first.</summary>
public static class NotificationsApi
{
    public const int MaxLimit = 200;

    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/orgs/{org_id}/notifications", ListAsync)
            .WithTags("Notifications")
            .WithName("ListNotifications")
            .WithSummary("Lists sent and pending notifications, newest first.");
        return api;
    }

    public static async Task<IResult> ListAsync(string org_id, IGrainFactory grains, int? limit)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        if (limit is < 1 or > MaxLimit) return Problems.Invalid("limit", $"must be between 1 and {MaxLimit}");
        var org = grains.GetOrganization(org_id);
        if (await org.GetAsync() is null) return Problems.NotFound("organization", org_id);
        var notifications = await org.ListNotificationsAsync(limit ?? 50);
        return TypedResults.Ok(new { notifications = notifications.Select(NotificationResponse.From) });
    }
}

public sealed record NotificationResponse(
    string Id, string Kind, string? Direction, IReadOnlyList<string> Recipients, string Subject, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, int Attempts, string? LastError, int ErrorCount)
{
    public static NotificationResponse From(NotificationView view) => new(
        view.Id, Wire(view.Kind), view.Direction?.Wire(), view.Recipients, view.Subject, Wire(view.Status),
        view.CreatedAt, view.SentAt, view.Attempts, view.LastError, view.ErrorCount);

    private static string Wire(NotificationKind kind) => kind switch
    {
        NotificationKind.ThresholdExceeded => "threshold_exceeded",
        _ => kind.ToString(),
    };

    private static string Wire(NotificationStatus status) => status switch
    {
        NotificationStatus.Pending => "pending",
        NotificationStatus.Sent => "sent",
        NotificationStatus.Failed => "failed",
        NotificationStatus.NoRecipients => "no_recipients",
        _ => status.ToString(),
    };
}
