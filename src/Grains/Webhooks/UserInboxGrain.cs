using Alerts.Contracts;

namespace Alerts.Grains.Webhooks;

/// <summary>
/// A user's in-app notifications (key <c>{org}/{user}</c>): the latest <see cref="InboxState.Limit"/>, newest first, with
/// the unread count the admin UI's badge shows. The same id added twice is kept once.
/// </summary>
public sealed class UserInboxGrain(
    [PersistentState("inbox", StorageNames.Grains)] IPersistentState<InboxState> state,
    [Microsoft.Extensions.DependencyInjection.FromKeyedServices(AlertsClock.Key)] TimeProvider clock)
    : Grain, IUserInboxGrain, IUserInbox
{
    private List<InboxItem> Items => state.State.Items;

    public Task<InboxPage> ListAsync(bool unreadOnly) => Task.FromResult(new InboxPage(
        Items.Where(item => !unreadOnly || item.ReadAt is null).ToList(),
        Items.Count(item => item.ReadAt is null)));

    public async Task AddAsync(InboxItem item)
    {
        if (Items.Any(existing => existing.Id == item.Id)) return;
        if (item.About is { } about)
        {
            for (var i = 0; i < Items.Count; i++)
            {
                if (Items[i].About == about && Items[i].ReadAt is null) Items[i] = Items[i] with { ReadAt = item.CreatedAt };
            }
        }
        Items.Insert(0, item);
        if (Items.Count > InboxState.Limit) Items.RemoveRange(InboxState.Limit, Items.Count - InboxState.Limit);
        await state.WriteStateAsync();
    }

    public async Task<bool> MarkReadAsync(string? notificationId)
    {
        var now = clock.GetUtcNow();
        var changed = false;
        var found = notificationId is null;
        for (var i = 0; i < Items.Count; i++)
        {
            if (notificationId is not null && Items[i].Id != notificationId) continue;
            found = true;
            if (Items[i].ReadAt is not null) continue;
            Items[i] = Items[i] with { ReadAt = now };
            changed = true;
        }
        if (changed) await state.WriteStateAsync();
        return found;
    }
}
