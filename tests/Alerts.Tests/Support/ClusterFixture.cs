using System.Collections.Concurrent;
using Alerts.Contracts;
using Alerts.Grains;
using Alerts.Grains.ErrorLog;
using Alerts.Grains.Journal;
using Alerts.Silo.Journal;
using Alerts.Grains.Notify;
using Alerts.Silo.ErrorLog;
using Alerts.Silo.Notify.Email;
using Alerts.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Alerts.Tests.Support;

/// <summary>
/// An in-process test cluster running the real silo set-up with memory storage, Alerts' clock replaced by a
/// <see cref="FakeTimeProvider"/> and the SMTP channel by <see cref="CapturingEmailSender"/>.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Silos are built by Orleans from configurator types, so what they share with the tests is static.</summary>
    public static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

    public static readonly CapturingEmailSender Emails = new();

    public static readonly SwitchableErrorLog ErrorLog = new();

    public static readonly MemoryJournal Journal = new();

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>A reminder of an organization grain as the silo's reminder table holds it, or null.</summary>
    public async Task<ReminderEntry?> ReminderAsync(string orgId, string name)
    {
        var table = ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<IReminderTable>();
        return await table.ReadRow(Grains.GetOrganization(orgId).GetGrainId(), name);
    }

    /// <summary>Removes a reminder row behind the grain's back (as a lost write or a racing unregister would).</summary>
    public async Task LoseReminderAsync(string orgId, string name)
    {
        var table = ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<IReminderTable>();
        var grain = Grains.GetOrganization(orgId).GetGrainId();
        var entry = await table.ReadRow(grain, name);
        if (entry?.ETag is { } etag) await table.RemoveRow(grain, name, etag);
    }

    /// <summary>Delivers a reminder tick to an organization grain exactly as the reminder service does.</summary>
    public Task TickReminderAsync(string orgId, string name)
    {
        var remindable = Grains.GetOrganization(orgId).AsReference<IRemindable>();
        return remindable.ReceiveReminder(name, new TickStatus(DateTime.UtcNow, TimeSpan.FromMinutes(1), DateTime.UtcNow));
    }

    /// <summary>
    /// Deactivates every idle activation (their OnDeactivateAsync runs, as on a graceful shutdown); the next call to any
    /// grain activates it again from storage.
    /// </summary>
    public Task DeactivateIdleAsync() => Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Alerts:Storage:Provider"] = "Memory",
                    // The relay limit runs on real time; the tests' messages are not paced (the integration tests pace theirs).
                    ["Alerts:Email:MaxMessagesPerWindow"] = "0",
                    // Checkpoints (snapshot, integrations written) every few commits, so tests see them.
                    ["Alerts:Journal:SnapshotEveryCommits"] = "20",
                    ["Alerts:Journal:SnapshotInterval"] = "00:00:01",
                })
                .Build();
            siloBuilder.AddAlerts(configuration);
            SizeRecordingGrainStorage.Decorate(siloBuilder.Services, StorageNames.Grains);
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(AlertsClock.Key, Clock);
            siloBuilder.Services.AddSingleton<IEmailSender>(Emails);
            siloBuilder.Services.AddSingleton<IErrorLog>(ErrorLog);
            siloBuilder.Services.AddSingleton<IJournal>(Journal);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterTests : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>
/// Records every message instead of sending it; can be told to fail like an unreachable relay, rejects any address
/// starting with "rejected" as a relay would an unknown mailbox (550), and throws for any starting with "explodes" (a
/// channel bug the worker must contain to that one message).
/// </summary>
public sealed class CapturingEmailSender : IEmailSender
{
    private readonly ConcurrentQueue<OutgoingEmail> _sent = new();
    private readonly ConcurrentQueue<OutgoingEmail> _attempted = new();

    private volatile bool _unreachable;

    public bool Unreachable { get => _unreachable; set => _unreachable = value; }

    public IReadOnlyList<OutgoingEmail> SentTo(string recipientSuffix) =>
        _sent.Where(m => m.To.EndsWith(recipientSuffix, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Every message handed over, sent or not.</summary>
    public IReadOnlyList<OutgoingEmail> AttemptedTo(string recipientSuffix) =>
        _attempted.Where(m => m.To.EndsWith(recipientSuffix, StringComparison.OrdinalIgnoreCase)).ToList();

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Messages to addresses ending so wait until the gate is opened (a relay that hangs mid-message).</summary>
    public TaskCompletionSource Gate(string recipientSuffix) =>
        _gates.GetOrAdd(recipientSuffix, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private readonly ConcurrentDictionary<string, int> _waiting = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a message to an address ending so is waiting at its gate (a worker is mid-message).</summary>
    public bool IsWaitingAtGate(string recipientSuffix) => _waiting.GetValueOrDefault(recipientSuffix) > 0;

    public async Task<RecipientResult> SendAsync(OutgoingEmail message, CancellationToken cancellationToken)
    {
        foreach (var (suffix, gate) in _gates)
        {
            if (!message.To.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            _waiting.AddOrUpdate(suffix, 1, (_, count) => count + 1);
            try
            {
                await gate.Task;
            }
            finally
            {
                _waiting.AddOrUpdate(suffix, 0, (_, count) => count - 1);
            }
        }
        _attempted.Enqueue(message);
        if (Unreachable) return new RecipientResult(message.To, RecipientOutcome.TransientFailure, "connection refused");
        if (message.To.StartsWith("rejected", StringComparison.OrdinalIgnoreCase))
            return new RecipientResult(message.To, RecipientOutcome.PermanentFailure, "550 5.1.1 mailbox unavailable");
        if (message.To.StartsWith("explodes", StringComparison.OrdinalIgnoreCase)) throw new FormatException($"cannot handle {message.To}");
        _sent.Enqueue(message);
        return new RecipientResult(message.To, RecipientOutcome.Delivered, "250 OK");
    }
}

/// <summary>The memory error log, which a test can make fail like an unreachable table.</summary>
public sealed class SwitchableErrorLog : IErrorLog
{
    private readonly MemoryErrorLog _inner = new();
    private volatile bool _failing;

    public bool Failing { get => _failing; set => _failing = value; }

    public Task AppendAsync(string orgId, IReadOnlyList<LoggedBatch> batches, CancellationToken cancellationToken = default) =>
        Failing ? throw new IOException("the error log is unavailable") : _inner.AppendAsync(orgId, batches, cancellationToken);

    public IAsyncEnumerable<LoggedError> ReadAsync(string orgId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(orgId, since, until, cancellationToken);

    public Task DeleteDayAsync(string orgId, DateOnly day, CancellationToken cancellationToken = default) =>
        _inner.DeleteDayAsync(orgId, day, cancellationToken);
}
