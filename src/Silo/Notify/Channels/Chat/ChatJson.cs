using System.Text.Encodings.Web;
using System.Text.Json;

namespace Alerts.Silo.Notify.Channels.Chat;

/// <summary>
/// How chat bodies are written: non-ASCII text as UTF-8 rather than <c>\uXXXX</c> escapes (a body in another script would
/// otherwise be six bytes a character, and platforms limit bytes). The bodies are JSON posted to an API, never HTML.
/// </summary>
internal static class ChatJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
