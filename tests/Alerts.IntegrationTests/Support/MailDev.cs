using System.Net.Http.Json;
using System.Text.Json;

namespace Alerts.IntegrationTests.Support;

/// <summary>The maildev inbox, read through its REST API (<c>/api/email</c>).</summary>
public sealed class MailDev(HttpClient http)
{
    public sealed record Message(string Id, string Subject, IReadOnlyList<string> To, string Text, string Html, string? MessageId);

    public async Task<IReadOnlyList<Message>> MessagesToAsync(string recipientDomain)
    {
        var all = await http.GetFromJsonAsync<JsonElement>("/api/email");
        return all.EnumerateArray()
            .Select(Parse)
            .Where(m => m.To.Any(to => to.EndsWith("@" + recipientDomain, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>When each message to the domain was sent: maildev dates a message by its Date header (to the second).</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> ReceivedTimesAsync(string recipientDomain)
    {
        var all = await http.GetFromJsonAsync<JsonElement>("/api/email");
        return all.EnumerateArray()
            .Where(e => e.GetProperty("to").EnumerateArray().Any(t => t.GetProperty("address").GetString()!.EndsWith("@" + recipientDomain, StringComparison.OrdinalIgnoreCase)))
            .Select(e => e.GetProperty("time").GetDateTimeOffset())
            .ToList();
    }

    /// <summary>Every message in the inbox, with the time maildev gives it.</summary>
    public async Task<IReadOnlyList<(Message Message, DateTimeOffset Time)>> AllAsync()
    {
        var all = await http.GetFromJsonAsync<JsonElement>("/api/email");
        return all.EnumerateArray().Select(e => (Parse(e), e.GetProperty("time").GetDateTimeOffset())).ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> messages to the domain arrived, then returns them all.</summary>
    public async Task<IReadOnlyList<Message>> WaitForAsync(string recipientDomain, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var messages = await MessagesToAsync(recipientDomain);
            if (messages.Count >= count) return messages;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"expected {count} e-mail(s) to @{recipientDomain}, found {messages.Count}");
            await Task.Delay(100);
        }
    }

    private static Message Parse(JsonElement e) => new(
        e.GetProperty("id").GetString()!,
        e.GetProperty("subject").GetString() ?? "",
        e.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()!).ToList(),
        e.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "",
        e.TryGetProperty("html", out var html) ? html.GetString() ?? "" : "",
        e.TryGetProperty("messageId", out var id) ? id.GetString() : null);
}
