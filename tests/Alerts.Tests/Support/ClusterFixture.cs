using System.Collections.Concurrent;
using Alerts.Contracts;
using Alerts.Grains;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Intake;
using Alerts.Storage.AzureTable;
using Alerts.Storage.Memory;
using Alerts.Grains.Notify;
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
public class ClusterFixture : IAsyncLifetime
{
    /// <summary>Silos are built by Orleans from configurator types, so what they share with the tests is static.</summary>
    public static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

    public static readonly CapturingEmailSender Emails = new();

    public static readonly SwitchableErrorLog ErrorLog = new();

    public static readonly MemoryJournal Journal = new();

    public static readonly SwitchableDirectory Directory = new();

    public static readonly ScriptedWebhookReceiver Webhooks = new();

    /// <summary>A second channel beside e-mail, as a chat channel would plug in (recipients <c>chat {address}</c>).</summary>
    public static readonly CapturingChatChannel Chat = new();

    /// <summary>Delivery passes the test silo runs at once.</summary>
    public const int OutboxPasses = 4;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Configure(builder);
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>What a fixture of another shape adds to the silos (after the common set-up, so it may override it).</summary>
    protected virtual void Configure(TestClusterBuilder builder)
    {
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

    /// <summary>Delivers a reminder tick to any grain exactly as the reminder service does.</summary>
    public static Task TickAsync(IAddressable grain, string name) =>
        grain.AsReference<IRemindable>().ReceiveReminder(name, new TickStatus(DateTime.UtcNow, TimeSpan.FromMinutes(1), DateTime.UtcNow));

    /// <summary>A reminder of any grain as the silo's reminder table holds it, or null.</summary>
    public async Task<ReminderEntry?> ReminderAsync(IAddressable grain, string name)
    {
        var table = ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<IReminderTable>();
        return await table.ReadRow(grain.GetGrainId(), name);
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

    /// <summary>The test's calls carry its trace, as a reporter's client does.</summary>
    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddActivityPropagation();
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
                    // Few passes at once, so a test can fill them (OutboxTests); the tests run one at a time.
                    ["Alerts:Outbox:MaxPassesPerSilo"] = OutboxPasses.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    // Checkpoints (snapshot, integrations written) every few commits, so tests see them.
                    ["Alerts:Journal:SnapshotEveryCommits"] = "20",
                    ["Alerts:Journal:SnapshotInterval"] = "00:00:01",
                    // Webhook waits run on Alerts' (fake) clock; a fast timer notices when the tests move it.
                    ["Alerts:Delivery:TimerResolution"] = "00:00:00.050",
                    ["Alerts:Delivery:WakeUpPeriod"] = "01:00:00",
                    ["Alerts:Delivery:Pace"] = "00:00:00.001",
                })
                .Build();
            siloBuilder.AddAlerts(configuration);
            SizeRecordingGrainStorage.Decorate(siloBuilder.Services, StorageNames.Grains);
            SwitchableReminderTable.Decorate(siloBuilder.Services);
            SlowAttemptLog.Decorate(siloBuilder.Services);
            GrainCalls.Add(siloBuilder);
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(AlertsClock.Key, Clock);
            siloBuilder.Services.AddSingleton<IEmailSender>(Emails);
            siloBuilder.Services.AddSingleton<Alerts.Silo.Notify.Channels.INotificationChannel>(Chat);
            siloBuilder.Services.AddSingleton<IErrorLog>(ErrorLog);
            siloBuilder.Services.AddSingleton<IJournal>(Journal);
            siloBuilder.Services.AddSingleton<Alerts.Grains.Stores.IOrganizationDirectory>(Directory);
            siloBuilder.Services.AddSingleton<Alerts.Grains.Webhooks.IWebhookSender>(Webhooks);
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

/// <summary>
/// A channel named <c>chat</c> that renders a payload to its subject line and records what it would post; addresses
/// starting with "gone" answer like a deleted incoming webhook (404, for good); those starting with "held" wait until
/// <see cref="Release"/> (a receiver that does not answer yet).
/// </summary>
public sealed class CapturingChatChannel : Alerts.Silo.Notify.Channels.NotificationChannel<string>
{
    private readonly ConcurrentQueue<(string Address, string Text, string MessageId)> _posted = new();

    public override string Name => "chat";

    public override string Relay => "chat";

    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _released.TrySetResult();

    public IReadOnlyList<(string Address, string Text, string MessageId)> PostedTo(string addressPrefix) =>
        _posted.Where(p => p.Address.StartsWith(addressPrefix, StringComparison.Ordinal)).ToList();

    protected override Task<string> RenderAsync(OutboxPass pass, NotificationPayload payload, CancellationToken cancellationToken) =>
        Task.FromResult($"*{payload.Subject}*");

    protected override async Task<RecipientResult> SendAsync(string message, string address, string messageId, CancellationToken cancellationToken)
    {
        if (address.StartsWith("held", StringComparison.Ordinal)) await _released.Task.WaitAsync(cancellationToken);
        if (address.StartsWith("gone", StringComparison.Ordinal))
            return new RecipientResult(address, RecipientOutcome.PermanentFailure, "404 no_service");
        _posted.Enqueue((address, message, messageId));
        return new RecipientResult(address, RecipientOutcome.Delivered, "200 ok");
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

/// <summary>
/// Stands in for webhook receivers: records every request and answers as told per host (200 by default). Hosts ending
/// in <c>.internal.test</c> resolve to a private address, the rest to a public documentation one; nothing touches the network.
/// </summary>
public sealed class ScriptedWebhookReceiver : Alerts.Grains.Webhooks.IWebhookSender
{
    private readonly ConcurrentQueue<Alerts.Grains.Webhooks.WebhookRequest> _received = new();
    private readonly ConcurrentDictionary<string, Func<Alerts.Grains.Webhooks.WebhookRequest, Alerts.Grains.Webhooks.WebhookResponse>> _answers = new(StringComparer.OrdinalIgnoreCase);

    public static Alerts.Grains.Webhooks.WebhookResponse Status(int status, string? retryAfter = null) =>
        new(status, TimeSpan.FromMilliseconds(3), null, status is >= 200 and < 300 ? "ok" : "receiver says no", retryAfter);

    /// <summary>How a host answers from now on.</summary>
    public void Answer(string host, Func<Alerts.Grains.Webhooks.WebhookRequest, Alerts.Grains.Webhooks.WebhookResponse> answer) => _answers[host] = answer;

    public void Answer(string host, int status, string? retryAfter = null) => Answer(host, _ => Status(status, retryAfter));

    public IReadOnlyList<Alerts.Grains.Webhooks.WebhookRequest> ReceivedBy(string host) =>
        _received.Where(r => string.Equals(new Uri(r.Url).Host, host, StringComparison.OrdinalIgnoreCase)).ToList();

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests to the host wait until the returned gate is opened (a receiver that hangs).</summary>
    public TaskCompletionSource Hold(string host) =>
        _holds.GetOrAdd(host, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public async Task<Alerts.Grains.Webhooks.WebhookResponse> SendAsync(Alerts.Grains.Webhooks.WebhookRequest request, CancellationToken cancellationToken)
    {
        _received.Enqueue(request);
        var host = new Uri(request.Url).Host;
        if (_holds.TryGetValue(host, out var hold)) await hold.Task;
        return _answers.TryGetValue(host, out var answer) ? answer(request) : Status(200);
    }

    public Task<string?> CheckUrlAsync(string url, CancellationToken cancellationToken) =>
        Alerts.Grains.Webhooks.WebhookUrlGuard.CheckAsync(url, allowLoopback: false, (host, _) => Task.FromResult(
            host.EndsWith(".internal.test", StringComparison.OrdinalIgnoreCase)
                ? new[] { System.Net.IPAddress.Parse("10.1.2.3") }
                : [System.Net.IPAddress.Parse("203.0.113.7")]), cancellationToken);
}
