using Alerts.Contracts;

namespace Alerts.Grains.Webhooks.Delivery;

/// <summary>
/// Which messages a recovery sends again (Svix's "recover"), pure: every message whose last attempt since the given
/// time did not deliver it — failed, exhausted or dropped — and that is not waiting already, oldest first, each once.
/// </summary>
public static class RecoveryPlan
{
    /// <param name="newestFirst">The delivery log as it is read, newest attempt first.</param>
    public static List<(string MessageId, string EventType)> Select(IEnumerable<DeliveryAttempt> newestFirst, DateTimeOffset since, IReadOnlySet<string> waiting)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var picked = new List<(string, string)>();
        foreach (var attempt in newestFirst)
        {
            if (attempt.At < since) break;
            // The first attempt met of a message is its last one: it decides.
            if (!seen.Add(attempt.MessageId)) continue;
            if (attempt.Outcome == DeliveryOutcome.Delivered || waiting.Contains(attempt.MessageId)) continue;
            picked.Add((attempt.MessageId, attempt.EventType));
        }
        picked.Reverse();
        return picked;
    }
}
