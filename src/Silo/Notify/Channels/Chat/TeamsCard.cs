using System.Text.Json.Nodes;

namespace Alerts.Silo.Notify.Channels.Chat;

/// <summary>
/// A <see cref="ChatMessage"/> as a Microsoft Teams incoming-webhook message: <c>{"type": "message", "attachments":
/// [one Adaptive Card]}</c>, the card version 1.5 (what Teams renders), with TextBlocks, a FactSet and
/// <c>Action.OpenUrl</c> buttons. Teams refuses a message over 28 KB: digest sections are already cut to a few lines.
/// </summary>
public static class TeamsCard
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    public const string Schema = "http://adaptivecards.io/schemas/adaptive-card.json";
    public const string Version = "1.5";

    public static byte[] Format(ChatMessage message)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = message.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject { ["type"] = "TextBlock", ["text"] = message.Summary, ["wrap"] = true },
        };
        if (message.Facts.Count > 0)
        {
            var facts = new JsonArray();
            foreach (var fact in message.Facts) facts.Add(new JsonObject { ["title"] = fact.Name, ["value"] = fact.Value });
            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        }
        foreach (var section in message.Sections)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = section.Heading, ["weight"] = "Bolder", ["wrap"] = true, ["spacing"] = "Medium" });
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = string.Join('\n', section.Lines.Select(line => "- " + line)), ["wrap"] = true });
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
        var envelope = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray { new JsonObject { ["contentType"] = ContentType, ["contentUrl"] = null, ["content"] = card } },
        };
        return System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }
}
