using System.Text.Json.Nodes;
using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Webhooks;
using Alerts.Silo.Notify.Channels;
using Alerts.Silo.Notify.Channels.Chat;
using Alerts.Silo.Notify.Exports;
using Alerts.Tests.Support;
using Microsoft.Extensions.Options;

namespace Alerts.Tests.Policies;

/// <summary>
/// Issue 22, item 1: every kind of notification laid out for Slack (Block Kit), Teams (an Adaptive Card) and a signed
/// JSON target stays within what each platform documents (<see cref="ChatSchemas"/>), escapes what users typed, and
/// carries the e-mail's links and advice.
/// </summary>
public sealed class ChatFormatsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 15, 0, TimeSpan.Zero);

    private sealed class FixedCsv : IErrorExports
    {
        public Task<CsvLink?> LinkAsync(string orgId, string entryId, ThresholdAlert alert, CancellationToken cancellationToken) =>
            Task.FromResult<CsvLink?>(new CsvLink(new Uri($"https://alerts.example/exports/{orgId}/{entryId}.csv?sig=abc"), 42, false, At.AddDays(7)));
    }

    private static readonly ChatRenderer Renderer = new(new FixedCsv(),
        new NotificationLinks(Options.Create(new DeliveryOptions { AdminUiUrl = "https://alerts.example/ui" })));

    private static ErrorView Error(string id, int? code, string message) => new(
        id, "crm", "sync", null, code, message, null, ErrorStatus.Open, At.AddMinutes(-15), At.AddMinutes(-10), 1, null, null, null, null, null);

    private static DigestPart Many(int count, string prefix, int? code = 502) => new(count,
        Enumerable.Range(0, Math.Min(count, 50)).Select(i => new DigestLine(Error($"crm:{prefix}{i}", code, new string('x', 300) + " <b>&"), "CRM <main>",
            IntegrationType.OutboundWebhook)).ToList());

    private static string Long(string unit, int length) => string.Concat(Enumerable.Repeat(unit, length / unit.Length + 1))[..length];

    /// <summary>Lines as wide as a digest gets: long names, flows and messages in another script, a mute's reason, a code with advice.</summary>
    private static DigestPart Wide(int count) => new(count, Enumerable.Range(0, 50).Select(i => new DigestLine(
        Error($"crm:w{i}", 400 + i, Long("错误信息 ", 200)) with { Flow = Long("流程", 200) }, Long("集成", 200), (IntegrationType)(i % 5), MutedBecause: Long("迁移 ", 200))).ToList());

    /// <summary>One payload of every kind, some as large as they get.</summary>
    public static TheoryData<string> Kinds() => ["threshold", "largest threshold", "digest", "big digest", "widest digest", "connection", "platform event", "platform summary", "webhook notice", "target notice", "test"];

    private static NotificationPayload Payload(string kind) => kind switch
    {
        "threshold" => new ThresholdAlert("acme", "Acme <Prod>", "production", true, Direction.Outgoing, 12, true, FailureInterval.FifteenMinutes,
            At.AddMinutes(-15), At, [new FailingIntegration("crm", "CRM & co", IntegrationType.OutboundWebhook, 9)], At.AddDays(-30),
            [new AlertCode(502, IntegrationType.OutboundWebhook, 9)], [new LatestLine(At, "CRM & co", 502, "upstream <down>")]),
        // As large as an alert gets: five integrations and five latest errors with 200-character names and messages in
        // another script (three UTF-8 bytes a character), three codes, and text that tries to be a link or a mention.
        "largest threshold" => new ThresholdAlert("acme", Long("Ünïcødé ", 200), "production", true, Direction.Outgoing, 99_999, false, FailureInterval.SevenDays,
            At.AddDays(-7), At, Enumerable.Range(0, 5).Select(i => new FailingIntegration($"i{i}", Long("集成", 200), IntegrationType.CustomNode, 999)).ToList(),
            At.AddDays(-30), [new AlertCode(502, IntegrationType.OutboundWebhook, 9), new AlertCode(401, IntegrationType.InboundWebhook, 8), new AlertCode(null, IntegrationType.Prebuilt, 7)],
            Enumerable.Range(0, 5).Select(i => new LatestLine(At, Long("集成", 200), 502, LatestLine.Shorten(Long("[click](https://evil.example) <!channel> ", 400)))).ToList()),
        "digest" => new ErrorDigest("acme", "Acme", "production", true, At, At.AddMinutes(-15), Many(2, "n"), DigestPart.Empty, Many(1, "o", 429),
            "https://alerts.example/api/v1/orgs/acme/errors?status=open"),
        "big digest" => new ErrorDigest("acme", "Acme", "production", true, At, null, Many(5_000, "n"), Many(3_000, "r"), Many(9_000, "o"), null),
        "widest digest" => new ErrorDigest("acme", Long("Ünïcødé ", 200), "production", true, At, null, Wide(5_000), Wide(3_000), Wide(9_000),
            "https://alerts.example/api/v1/orgs/acme/errors?status=open"),
        "connection" => new ConnectionNotice("acme", "Acme", "staging", false, "c1", "CRM login", false, At,
            Enumerable.Range(0, 25).Select(i => $"Integration {i}").ToList(), 40),
        "platform event" => new PlatformEventNotice("acme", "Acme", "production", true, "run_failed", "evt_1", At,
            [new("integration_name", "CRM"), new("error", "boom <x>")]),
        "platform summary" => new PlatformEventSummary("acme", "Acme", "production", true, At.AddHours(-1), At, [new FoldedEvents("run_failed", 61, At.AddHours(-1), At, "evt_9")], 60),
        "webhook notice" => new WebhookNotice("acme", "Acme", "production", true, NotificationKind.WebhookDisabled, "wh_1", "https://hooks.example/x?…", 6, 500, "HTTP 500", At,
            "https://alerts.example/ui/orgs/acme/webhooks/wh_1"),
        "target notice" => new WebhookNotice("acme", "Acme", "production", true, NotificationKind.WebhookDisabled, "tgt_1", "https://hooks.slack.com/services/…", 6, null,
            "HTTP 404: no_service", At, "https://alerts.example/ui/orgs/acme/targets", Noun: "Slack target"),
        _ => new TestNotification("acme", "Acme", "production", true, "alice", At),
    };

    private static async Task<ChatMessage> RenderAsync(string kind) =>
        await Renderer.RenderAsync(new OutboxPass("acme", "entry-1", "pass-1", Payload(kind), []), Payload(kind), CancellationToken.None);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Slack_messages_are_block_kit_within_its_limits(string kind)
    {
        var message = await RenderAsync(kind);
        var body = JsonNode.Parse(SlackBlocks.Format(message))!;
        Assert.Empty(ChatSchemas.Slack(body));
        Assert.Equal(SlackBlocks.Escape(message.Title), (string)body["text"]!);
        Assert.DoesNotContain(Strings(body), text => text.Contains("<!channel>", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Teams_messages_carry_one_adaptive_card_teams_renders(string kind)
    {
        var bytes = TeamsCard.Format(await RenderAsync(kind));
        Assert.Empty(ChatSchemas.Teams(JsonNode.Parse(bytes)!, bytes.Length));
        // Text from outside never forms a markdown link in a TextBlock (the card's own links are actions).
        Assert.DoesNotContain(Strings(JsonNode.Parse(bytes)), text => text.Contains("](", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Json_targets_get_the_documented_shape(string kind)
    {
        var body = JsonNode.Parse(JsonTargetBody.Format(await RenderAsync(kind), At))!;
        Assert.Empty(ChatSchemas.JsonTarget(body));
        Assert.Equal("2026-11-22T10:15:00.000Z", (string)body["timestamp"]!);
    }

    [Fact]
    public async Task A_threshold_alert_has_the_emails_links_and_advice_and_escapes_what_users_typed()
    {
        var message = await RenderAsync("threshold");
        var texts = Strings(JsonNode.Parse(SlackBlocks.Format(message))!).ToList();
        Assert.Contains(texts, t => t.Contains("Acme &lt;Prod&gt;", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("upstream &lt;down&gt;", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains(SlackBlocks.Escape(ErrorCatalog.Guidance(502, IntegrationType.OutboundWebhook)!), StringComparison.Ordinal));
        var links = message.Links.Select(l => l.Url).ToList();
        Assert.Contains("https://alerts.example/ui/orgs/acme/failures", links);
        Assert.Contains("https://alerts.example/exports/acme/entry-1.csv?sig=abc", links);
        Assert.Contains("https://alerts.example/ui/orgs/acme/users", links);
        Assert.Contains(message.Sections, s => s.Lines.Any(l => l.Contains("upstream <down>", StringComparison.Ordinal)));
    }

    /// <summary>Every string value in a JSON document.</summary>
    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    [Fact]
    public async Task A_teams_card_too_large_for_teams_shows_fewer_lines_and_says_how_many_more()
    {
        var message = await RenderAsync("widest digest");
        Assert.True(JsonTargetBody.Format(message, At).Length > 28 * 1024, "every line of the digest is more than Teams takes");
        var bytes = TeamsCard.Format(message);
        Assert.InRange(bytes.Length, 1, 28 * 1024);
        Assert.Contains(Strings(JsonNode.Parse(bytes)), text => text.Contains("more line(s): see the links below", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_digest_advises_once_per_code_and_type_and_counts_what_it_leaves_out()
    {
        var message = await RenderAsync("big digest");
        var advice = ErrorCatalog.Guidance(502, IntegrationType.OutboundWebhook)!;
        Assert.Equal(1, message.Sections.SelectMany(s => s.Lines).Count(l => l.Contains(advice, StringComparison.Ordinal)));
        var open = Assert.Single(message.Sections, s => s.Heading == "Still open (9000)");
        Assert.Equal(ChatRenderer.DigestLinesShown + 1, open.Lines.Count);
        Assert.Equal("… and 8,990 more", open.Lines[^1]);
    }
}
