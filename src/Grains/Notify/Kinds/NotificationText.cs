using System.Globalization;

namespace Alerts.Grains.Notify;

/// <summary>
/// Words every channel shares: the subject line (a title with a non-production environment first) and how a moment
/// is written. Channel templates (e-mail, chat) build on these; the decision layer needs nothing else from them.
/// </summary>
public static class NotificationText
{
    /// <summary>Non-production organizations put their environment first (SPEC §1): <c>[staging] …</c>.</summary>
    public static string Subject(string title, string environment, bool production) =>
        OneLine(production ? title : $"[{environment}] {title}");

    /// <summary>A header's text on one line: CR, LF and other control characters become spaces.</summary>
    public static string OneLine(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? ' ' : source[i];
        });

    /// <summary>A moment as every message writes it: <c>2026-11-22 10:14:00 UTC</c>.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
