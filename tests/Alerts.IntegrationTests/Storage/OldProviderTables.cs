using System.Globalization;
using Alerts.Storage;
using Alerts.Storage.AzureTable;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;

namespace Alerts.IntegrationTests.Storage;

/// <summary>
/// Rows as the grain-state and reminder providers Alerts had before Orleans' own (removed with issue 20) wrote them:
/// the "before" data of the migration tests, written here the way that code did rather than by the code that reads it.
/// </summary>
public sealed class OldProviderTables(StorageOptions storage)
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
    private readonly TableServiceClient _account = new(storage.ConnectionString);

    private TableClient State => _account.GetTableClient(storage.TablePrefix + "GrainState");
    private TableClient Reminders => _account.GetTableClient(storage.TablePrefix + "Reminders");

    public async Task WriteStateAsync<T>(string serviceId, string stateName, GrainId grain, T state)
    {
        var bytes = Serializer.SerializeToArray(state);
        var row = new TableEntity(TableKeys.Escape($"{serviceId}/{grain}"), TableKeys.Escape(stateName))
        {
            ["Format"] = "orleans-binary-1",
            ["Type"] = typeof(T).Name,
            ["Size"] = bytes.Length,
        };
        for (int i = 0, offset = 0; offset < bytes.Length; i++, offset += 64 * 1024)
            row[$"Data{i}"] = bytes.AsSpan(offset, Math.Min(64 * 1024, bytes.Length - offset)).ToArray();
        await State.CreateIfNotExistsAsync();
        await State.AddEntityAsync(row);
    }

    public async Task<bool> HasStateAsync(string serviceId, string stateName, GrainId grain) =>
        (await State.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape($"{serviceId}/{grain}"), TableKeys.Escape(stateName))).HasValue;

    public async Task WriteReminderAsync(string serviceId, GrainId grain, string name, DateTime startAt, TimeSpan period)
    {
        var hash = grain.GetUniformHashCode().ToString("X8", CultureInfo.InvariantCulture);
        await Reminders.CreateIfNotExistsAsync();
        await Reminders.AddEntityAsync(new TableEntity($"{TableKeys.Escape(serviceId)}_{hash}", TableKeys.Escape($"{grain}/{name}"))
        {
            ["GrainId"] = grain.ToString(),
            ["ReminderName"] = name,
            ["StartAt"] = startAt,
            ["PeriodTicks"] = period.Ticks,
            ["GrainHash"] = (long)grain.GetUniformHashCode(),
        });
    }

    public async Task<int> ReminderCountAsync()
    {
        var count = 0;
        await foreach (var _ in Reminders.QueryAsync<TableEntity>()) count++;
        return count;
    }
}
