using Alerts.Contracts;
using Alerts.Grains.Notify;

namespace Alerts.Grains.Stores;

/// <summary>
/// The notification log outside grain state: one row per notification (pending, finished or called off) and one per
/// recipient with its result (reply, attempts, times). The outbox grain writes it; the API reads it a page at a time.
/// </summary>
public interface INotificationHistory
{
    /// <summary>Creates or replaces a notification's row.</summary>
    Task SaveAsync(string orgId, NotificationView notification, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces recipients' rows (any number; written in batches).</summary>
    Task SaveRecipientsAsync(string orgId, string notificationId, IReadOnlyList<RecipientView> recipients, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RecipientView>> RecipientsAsync(string orgId, string notificationId, CancellationToken cancellationToken = default);

    Task<RecipientView?> RecipientAsync(string orgId, string notificationId, string address, CancellationToken cancellationToken = default);

    /// <summary>Stores what each recipient (by address) of a notification is told, when each is told something of their own.</summary>
    Task SavePersonalAsync(string orgId, string notificationId, IReadOnlyDictionary<string, NotificationPayload> payloads, CancellationToken cancellationToken = default);

    /// <summary>Deletes what each recipient of a notification was told (once it is finished).</summary>
    Task DeletePersonalAsync(string orgId, string notificationId, CancellationToken cancellationToken = default);

    /// <summary>One recipient's own payload; null when they have none.</summary>
    Task<NotificationPayload?> PersonalAsync(string orgId, string notificationId, string address, CancellationToken cancellationToken = default);

    Task<NotificationView?> GetAsync(string orgId, string notificationId, CancellationToken cancellationToken = default);

    /// <summary>Newest first, filtered, from after the cursor of the previous page.</summary>
    Task<NotificationPage> QueryAsync(string orgId, NotificationQuery query, CancellationToken cancellationToken = default);
}
