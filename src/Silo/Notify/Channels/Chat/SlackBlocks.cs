using System.Text.Json.Nodes;

namespace Alerts.Silo.Notify.Channels.Chat;

/// <summary>
/// A <see cref="ChatMessage"/> as a Slack incoming-webhook message in Block Kit, within Slack's documented limits: at
/// most 50 blocks; a header's plain text ≤ 150 characters; a section's text ≤ 3,000 and its fields ≤ 10 of ≤ 2,000; an
/// actions block ≤ 25 buttons, each label ≤ 75 and URL ≤ 3,000. <c>text</c> is the notification's fallback (shown in
/// notifications where blocks are not). Text is <c>mrkdwn</c> with <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped.
/// </summary>
public static class SlackBlocks
{
    public const int MaxBlocks = 50, MaxHeader = 150, MaxSectionText = 3000, MaxFields = 10, MaxFieldText = 2000, MaxButtons = 25,
        MaxButtonText = 75, MaxUrl = 3000;

    public static byte[] Format(ChatMessage message)
    {
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText(Cut(message.Title, MaxHeader)) },
            Section(Escape(message.Summary)),
        };
        if (message.Facts.Count > 0)
        {
            var fields = new JsonArray();
            foreach (var fact in message.Facts.Take(MaxFields)) fields.Add(Mrkdwn(Cut($"*{Escape(fact.Name)}*\n{Escape(fact.Value)}", MaxFieldText)));
            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        }
        // Sections, leaving room for a divider and the actions.
        foreach (var section in message.Sections.Take(MaxBlocks - blocks.Count - 2))
            blocks.Add(Section($"*{Escape(section.Heading)}*\n" + string.Join('\n', section.Lines.Select(line => "• " + Escape(line)))));
        var buttons = new JsonArray();
        foreach (var link in message.Links.Where(l => l.Url.Length <= MaxUrl).Take(MaxButtons))
        {
            buttons.Add(new JsonObject { ["type"] = "button", ["text"] = PlainText(Cut(link.Label, MaxButtonText)), ["url"] = link.Url });
        }
        if (buttons.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "divider" });
            blocks.Add(new JsonObject { ["type"] = "actions", ["elements"] = buttons });
        }
        var body = new JsonObject { ["text"] = Escape(message.Title), ["blocks"] = blocks };
        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString(ChatJson.Options));
    }

    private static JsonObject Section(string text) => new() { ["type"] = "section", ["text"] = Mrkdwn(Cut(text, MaxSectionText)) };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = false };

    /// <summary>Slack's three control characters in message text.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>At most <paramref name="max"/> characters, an ellipsis marking a cut.</summary>
    public static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
