using System.Text;

namespace Alerts.Contracts;

/// <summary>
/// Text shown to people (e-mails, CSV cells) without the characters that can hide or reorder it: NUL and the other
/// control characters (tab, CR and LF stay), DEL and C1 controls, and the Unicode bidirectional overrides and isolates
/// ("Trojan Source"), which can make a name read differently from what it is.
/// </summary>
public static class TextSafety
{
    public static bool IsUnsafe(char c) =>
        (c < ' ' && c is not ('\t' or '\r' or '\n'))
        || c is >= '\u007F' and <= '\u009F'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069'
        || c is '\u200E' or '\u200F' or '\u061C';

    public static string Clean(string text)
    {
        if (!text.Any(IsUnsafe)) return text;
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!IsUnsafe(c)) builder.Append(c);
        }
        return builder.ToString();
    }
}
