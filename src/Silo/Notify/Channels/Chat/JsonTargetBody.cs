using System.Text.Json.Nodes;

namespace Alerts.Silo.Notify.Channels.Chat;

/// <summary>
/// A <see cref="ChatMessage"/> for a <c>webhook</c> target: plain JSON, <c>{"type": "alerts.{kind}", "timestamp",
/// "data": {org_id, title, summary, facts, sections, links}}</c>, sent with Standard Webhooks' headers and signature
/// under the target's own secret, so a receiver verifies it with any Standard Webhooks library.
/// </summary>
public static class JsonTargetBody
{
    public static byte[] Format(ChatMessage message, DateTimeOffset at)
    {
        var facts = new JsonArray();
        foreach (var fact in message.Facts) facts.Add(new JsonObject { ["name"] = fact.Name, ["value"] = fact.Value });
        var sections = new JsonArray();
        foreach (var section in message.Sections)
        {
            var lines = new JsonArray();
            foreach (var line in section.Lines) lines.Add(line);
            sections.Add(new JsonObject { ["heading"] = section.Heading, ["lines"] = lines });
        }
        var links = new JsonArray();
        foreach (var link in message.Links) links.Add(new JsonObject { ["label"] = link.Label, ["url"] = link.Url });
        var body = new JsonObject
        {
            ["type"] = "alerts." + message.Kind,
            ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["data"] = new JsonObject
            {
                ["org_id"] = message.OrgId,
                ["title"] = message.Title,
                ["summary"] = message.Summary,
                ["facts"] = facts,
                ["sections"] = sections,
                ["links"] = links,
            },
        };
        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString(ChatJson.Options));
    }
}
