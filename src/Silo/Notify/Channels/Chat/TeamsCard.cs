using System.Text.Json.Nodes;

namespace Alerts.Silo.Notify.Channels.Chat;

/// <summary>
/// A <see cref="ChatMessage"/> as a Microsoft Teams incoming-webhook message: <c>{"type": "message", "attachments":
/// [one Adaptive Card]}</c>, the card version 1.5 (what Teams renders), with TextBlocks, a FactSet and
/// <c>Action.OpenUrl</c> buttons. Teams refuses a message over 28 KB: when the whole message would be larger, sections
/// are shown with fewer and shorter lines (the links lead to the rest) until it fits. TextBlocks render markdown, so
/// text from outside (error messages, names) cannot form a link: <c>](</c> is broken with a zero-width space.
/// </summary>
public static class TeamsCard
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    public const string Schema = "http://adaptivecards.io/schemas/adaptive-card.json";
    public const string Version = "1.5";

    /// <summary>Teams' limit is 28 KB; this leaves room for what its connector adds.</summary>
    public const int MaxBytes = 27 * 1024;

    /// <summary>Each try shows at most this many lines a section, each at most this long; the last shows headings only.</summary>
    private static readonly (int Lines, int Characters)[] Tries = [(int.MaxValue, 1000), (5, 300), (3, 200), (1, 150), (0, 0)];

    public static byte[] Format(ChatMessage message)
    {
        byte[] bytes = [];
        foreach (var (lines, characters) in Tries)
        {
            bytes = System.Text.Encoding.UTF8.GetBytes(Envelope(message, lines, characters).ToJsonString(ChatJson.Options));
            if (bytes.Length <= MaxBytes) break;
        }
        return bytes;
    }

    private static JsonObject Envelope(ChatMessage message, int maxLines, int maxCharacters)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = Plain(message.Title), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject { ["type"] = "TextBlock", ["text"] = Plain(message.Summary), ["wrap"] = true },
        };
        if (message.Facts.Count > 0)
        {
            var facts = new JsonArray();
            foreach (var fact in message.Facts) facts.Add(new JsonObject { ["title"] = Plain(fact.Name), ["value"] = Plain(SlackBlocks.Cut(fact.Value, 500)) });
            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        }
        foreach (var section in message.Sections)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = Plain(section.Heading), ["weight"] = "Bolder", ["wrap"] = true, ["spacing"] = "Medium" });
            var shown = section.Lines.Take(maxLines).Select(line => "- " + Plain(SlackBlocks.Cut(line, maxCharacters))).ToList();
            if (shown.Count < section.Lines.Count) shown.Add($"- … {section.Lines.Count - shown.Count} more line(s): see the links below");
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = string.Join('\n', shown), ["wrap"] = true });
        }
        var actions = new JsonArray();
        foreach (var link in message.Links) actions.Add(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = link.Label, ["url"] = link.Url });
        var card = new JsonObject
        {
            ["$schema"] = Schema,
            ["type"] = "AdaptiveCard",
            ["version"] = Version,
            ["body"] = body,
            ["actions"] = actions,
        };
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray { new JsonObject { ["contentType"] = ContentType, ["contentUrl"] = null, ["content"] = card } },
        };
    }

    /// <summary>Text from outside as text: a markdown link cannot form in it.</summary>
    public static string Plain(string text) => text.Replace("](", "]\u200B(", StringComparison.Ordinal);
}
