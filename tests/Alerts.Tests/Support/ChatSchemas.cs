using System.Text.Json.Nodes;

namespace Alerts.Tests.Support;

/// <summary>
/// What Slack, Microsoft Teams and a Standard Webhooks receiver document about the messages they take, checked the way
/// they would refuse or cut them; written from their documentation, not from our code. Each returns the problems found.
/// Slack (api.slack.com, "Block Kit" and "Sending messages using incoming webhooks"): a message has <c>blocks</c>
/// (≤ 50) and a fallback <c>text</c>; a header's text is plain_text ≤ 150 characters; a section has text (≤ 3,000) or
/// fields (≤ 10, each ≤ 2,000); an actions block has ≤ 25 elements; a button's text is plain_text ≤ 75 and its url ≤
/// 3,000; mrkdwn text escapes &amp;, &lt; and &gt;. Teams (learn.microsoft.com, "Create incoming webhooks with
/// Workflows"; adaptivecards.io): a <c>message</c> with attachments of content type
/// <c>application/vnd.microsoft.card.adaptive</c>, each an <c>AdaptiveCard</c> with a version Teams renders (≤ 1.5),
/// elements and actions of known types, a message ≤ 28 KB.
/// </summary>
public static class ChatSchemas
{
    private static readonly HashSet<string> SlackBlockTypes = ["header", "section", "divider", "actions", "context"];
    private static readonly HashSet<string> CardElements = ["TextBlock", "FactSet", "ColumnSet", "Container", "Image"];
    private static readonly HashSet<string> CardActions = ["Action.OpenUrl", "Action.ShowCard", "Action.ToggleVisibility"];

    public static List<string> Slack(JsonNode message)
    {
        var problems = new List<string>();
        if (message["text"] is not JsonValue text || string.IsNullOrWhiteSpace((string?)text)) problems.Add("text (the fallback) is missing");
        if (message["blocks"] is not JsonArray blocks) return [.. problems, "blocks is missing"];
        if (blocks.Count > 50) problems.Add($"{blocks.Count} blocks (at most 50)");
        foreach (var (block, i) in blocks.Select((b, i) => (b!, i)))
        {
            var type = (string?)block["type"];
            if (type is null || !SlackBlockTypes.Contains(type)) problems.Add($"blocks[{i}]: unknown type {type}");
            switch (type)
            {
                case "header":
                    PlainText(block["text"], 150, $"blocks[{i}].text", problems);
                    break;
                case "section":
                    if (block["text"] is null && block["fields"] is null) problems.Add($"blocks[{i}]: a section needs text or fields");
                    if (block["text"] is { } sectionText) Text(sectionText, 3000, $"blocks[{i}].text", problems);
                    if (block["fields"] is JsonArray fields)
                    {
                        if (fields.Count > 10) problems.Add($"blocks[{i}]: {fields.Count} fields (at most 10)");
                        foreach (var (field, f) in fields.Select((x, f) => (x, f))) Text(field, 2000, $"blocks[{i}].fields[{f}]", problems);
                    }
                    break;
                case "actions":
                    if (block["elements"] is not JsonArray elements || elements.Count is 0 or > 25) { problems.Add($"blocks[{i}]: 1-25 elements"); break; }
                    foreach (var (button, b) in elements.Select((x, b) => (x!, b)))
                    {
                        if ((string?)button["type"] != "button") problems.Add($"blocks[{i}].elements[{b}]: not a button");
                        PlainText(button["text"], 75, $"blocks[{i}].elements[{b}].text", problems);
                        var url = (string?)button["url"];
                        if (url is null || url.Length > 3000 || !Uri.TryCreate(url, UriKind.Absolute, out _)) problems.Add($"blocks[{i}].elements[{b}].url: {url}");
                    }
                    break;
            }
        }
        return problems;
    }

    private static void PlainText(JsonNode? node, int max, string where, List<string> problems)
    {
        if ((string?)node?["type"] != "plain_text") problems.Add($"{where}: must be plain_text");
        var text = (string?)node?["text"];
        if (string.IsNullOrEmpty(text) || text.Length > max) problems.Add($"{where}: 1-{max} characters, got {text?.Length}");
    }

    private static void Text(JsonNode? node, int max, string where, List<string> problems)
    {
        var type = (string?)node?["type"];
        if (type is not ("mrkdwn" or "plain_text")) problems.Add($"{where}: text type {type}");
        var text = (string?)node?["text"];
        if (string.IsNullOrEmpty(text) || text.Length > max) problems.Add($"{where}: 1-{max} characters, got {text?.Length}");
        // In mrkdwn, < and > start links and mentions: text from users must arrive escaped.
        if (type == "mrkdwn" && text is not null && (text.Contains('<') || text.Contains('>'))) problems.Add($"{where}: unescaped < or >");
    }

    public static List<string> Teams(JsonNode message, int size)
    {
        var problems = new List<string>();
        if (size > 28 * 1024) problems.Add($"{size} bytes (Teams takes at most 28 KB)");
        if ((string?)message["type"] != "message") problems.Add("type must be message");
        if (message["attachments"] is not JsonArray attachments || attachments.Count == 0) return [.. problems, "attachments is missing"];
        foreach (var (attachment, a) in attachments.Select((x, a) => (x!, a)))
        {
            if ((string?)attachment["contentType"] != "application/vnd.microsoft.card.adaptive") problems.Add($"attachments[{a}].contentType");
            var card = attachment["content"];
            if ((string?)card?["type"] != "AdaptiveCard") { problems.Add($"attachments[{a}].content is not an AdaptiveCard"); continue; }
            if (!Version.TryParse((string?)card["version"], out var version) || version > new Version(1, 5)) problems.Add($"version {(string?)card["version"]} (Teams renders up to 1.5)");
            if (card["body"] is not JsonArray body || body.Count == 0) { problems.Add("body is empty"); continue; }
            foreach (var (element, e) in body.Select((x, e) => (x!, e)))
            {
                var type = (string?)element["type"];
                if (type is null || !CardElements.Contains(type)) problems.Add($"body[{e}]: unknown element {type}");
                if (type == "TextBlock" && string.IsNullOrEmpty((string?)element["text"])) problems.Add($"body[{e}]: a TextBlock needs text");
                if (type == "FactSet" && element["facts"] is JsonArray facts && facts.Any(f => (string?)f!["title"] is null || (string?)f!["value"] is null))
                    problems.Add($"body[{e}]: a fact needs title and value");
            }
            foreach (var (action, x) in (card["actions"] as JsonArray ?? []).Select((y, x) => (y!, x)))
            {
                var type = (string?)action["type"];
                if (type is null || !CardActions.Contains(type)) problems.Add($"actions[{x}]: unknown action {type}");
                if (type == "Action.OpenUrl" && !Uri.TryCreate((string?)action["url"], UriKind.Absolute, out _)) problems.Add($"actions[{x}]: url");
                if (string.IsNullOrEmpty((string?)action["title"])) problems.Add($"actions[{x}]: title");
            }
        }
        return problems;
    }

    /// <summary>Alerts' own documented JSON (docs/behaviour.md): type, timestamp, data with title, summary and links.</summary>
    public static List<string> JsonTarget(JsonNode message)
    {
        var problems = new List<string>();
        if ((string?)message["type"] is not { } type || !type.StartsWith("alerts.", StringComparison.Ordinal)) problems.Add("type must start with alerts.");
        if (!DateTimeOffset.TryParse((string?)message["timestamp"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            problems.Add("timestamp");
        var data = message["data"];
        foreach (var field in new[] { "org_id", "title", "summary" })
        {
            if (string.IsNullOrEmpty((string?)data?[field])) problems.Add($"data.{field} is missing");
        }
        if (data?["links"] is not JsonArray links || links.Any(l => !Uri.TryCreate((string?)l!["url"], UriKind.Absolute, out _))) problems.Add("data.links");
        return problems;
    }
}
