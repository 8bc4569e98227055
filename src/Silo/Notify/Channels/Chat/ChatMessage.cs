namespace Alerts.Silo.Notify.Channels.Chat;

/// <summary>
/// A notification as every chat-like target shows it, before it is laid out for one (Slack, Teams, JSON): a title, the
/// first paragraph, facts (name: value), sections of lines and links. Built from the payload by <see cref="ChatRenderer"/>.
/// </summary>
public sealed record ChatMessage(
    string Kind,
    string Title,
    string Summary,
    IReadOnlyList<ChatFact> Facts,
    IReadOnlyList<ChatSection> Sections,
    IReadOnlyList<ChatLink> Links,
    string OrgId);

public sealed record ChatFact(string Name, string Value);

/// <summary>A heading and its lines (each a short line of plain text).</summary>
public sealed record ChatSection(string Heading, IReadOnlyList<string> Lines);

public sealed record ChatLink(string Label, string Url);
