using Alerts.Contracts;
using Alerts.Grains.Webhooks;
using Alerts.Grains.Stores;
using Alerts.Silo.Notify.Webhooks;
using Alerts.Storage.AzureTable;
using Alerts.Storage.Memory;
using Azure.Data.Tables;

namespace Alerts.IntegrationTests.Storage;

/// <summary>The webhook message and delivery-log table on Azurite: paging newest first, trimming by age, deleting.</summary>
[Collection(AzuriteTests.Name)]
public sealed class WebhookTableTests(AzuriteFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);

    private async Task<AzureTableWebhookStore> StoreAsync()
    {
        var store = new AzureTableWebhookStore(new TableServiceClient(fixture.Azurite.ConnectionString).GetTableClient(AzuriteFixture.UniqueTable("webhooks")));
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    private static DeliveryAttempt Attempt(string message, DateTimeOffset at, int attempt = 1) =>
        new(message, "run_failed", attempt, at, DeliveryOutcome.Delivered, 200, 12, null, "ok", null);

    [Fact]
    public async Task The_log_pages_newest_first_and_old_rows_are_trimmed_except_messages_still_waiting()
    {
        var store = await StoreAsync();
        for (var day = 0; day < 40; day++)
        {
            var message = $"msg_{day}";
            await store.SaveMessageAsync("org/x", "wh_1", new StoredMessage(message, "run_failed", T0.AddDays(day), "{\"a\":1}"u8.ToArray()));
            await store.AddAttemptAsync("org/x", "wh_1", Attempt(message, T0.AddDays(day)));
        }

        var first = await store.ListAttemptsAsync("org/x", "wh_1", 15, null);
        var second = await store.ListAttemptsAsync("org/x", "wh_1", 15, first.Next);
        Assert.Equal("msg_39", first.Items[0].MessageId);
        Assert.Equal("msg_24", second.Items[0].MessageId);

        // 30 days kept before day 40; msg_3 still waits, so its body stays.
        var removed = await store.TrimAsync("org/x", "wh_1", T0.AddDays(10), new HashSet<string>(["msg_3"]));
        Assert.Equal(10 + 9, removed);
        var all = new List<DeliveryAttempt>();
        string? cursor = null;
        do
        {
            var page = await store.ListAttemptsAsync("org/x", "wh_1", 100, cursor);
            all.AddRange(page.Items);
            cursor = page.Next;
        } while (cursor is not null);
        Assert.Equal(30, all.Count);
        Assert.Equal("msg_10", all[^1].MessageId);
        Assert.NotNull(await store.GetMessageAsync("org/x", "wh_1", "msg_3"));
        Assert.Null(await store.GetMessageAsync("org/x", "wh_1", "msg_4"));
        Assert.NotNull(await store.GetMessageAsync("org/x", "wh_1", "msg_10"));

        await store.DeleteAllAsync("org/x", "wh_1");
        Assert.Empty((await store.ListAttemptsAsync("org/x", "wh_1", 100, null)).Items);
        Assert.Null(await store.GetMessageAsync("org/x", "wh_1", "msg_10"));
    }
}
