namespace Alerts.Grains.Webhooks;

/// <summary>
/// Issue 21, item 4: how many platform events one organization may e-mail one by one per window (a clock hour by
/// default). Within the budget an event is e-mailed as it comes; past it, it is folded into a count per event type,
/// and when the window ends the folded events are told in one summary. Pure: the registry stores it and acts on what
/// it returns. Stored size: two numbers and at most one <see cref="FoldedEvents"/> per event type (SPEC §5 has five).
/// </summary>
[GenerateSerializer, Alias("alerts.platform-email-budget")]
public sealed class PlatformEmailBudget
{
    /// <summary>The window the counts belong to.</summary>
    [Id(0)] public DateTimeOffset WindowStart { get; set; }

    /// <summary>Events e-mailed one by one in the window.</summary>
    [Id(1)] public int Sent { get; set; }

    /// <summary>Events past the budget, per type, in the order their types were first folded.</summary>
    [Id(2)] public List<FoldedEvents> Folded { get; set; } = [];

    /// <summary>The start of the window <paramref name="at"/> falls in (windows are aligned on multiples of their length).</summary>
    public static DateTimeOffset WindowOf(DateTimeOffset at, TimeSpan window) =>
        new(at.UtcTicks - at.UtcTicks % window.Ticks, TimeSpan.Zero);

    /// <summary>
    /// Moves to the window of <paramref name="now"/> when the stored one has ended; returns the ended window's folded
    /// events to summarize (null when there are none, or the window has not ended).
    /// </summary>
    public FoldedWindow? Roll(DateTimeOffset now, TimeSpan window)
    {
        var current = WindowOf(now, window);
        if (current <= WindowStart) return null;
        var ended = Folded.Count == 0 ? null : new FoldedWindow(WindowStart, WindowStart + window, Folded.ToList());
        WindowStart = current;
        Sent = 0;
        Folded = [];
        return ended;
    }

    /// <summary>
    /// Counts an event of the current window (call <see cref="Roll"/> first): true when it is within the budget and is
    /// to be e-mailed now, false when it was folded into the window's summary.
    /// </summary>
    public bool Take(DateTimeOffset now, int limit, string eventType, string eventId)
    {
        if (Sent < limit)
        {
            Sent++;
            return true;
        }
        var index = Folded.FindIndex(f => f.EventType == eventType);
        if (index < 0) Folded.Add(new FoldedEvents(eventType, 1, now, now, eventId));
        else Folded[index] = Folded[index] with { Count = Folded[index].Count + 1, Last = now, LastEventId = eventId };
        return false;
    }

    /// <summary>When the current window's summary is due (its end), or null when nothing is folded.</summary>
    public DateTimeOffset? SummaryDue(TimeSpan window) => Folded.Count == 0 ? null : WindowStart + window;
}

/// <summary>Events of one type that were not e-mailed one by one: how many, the first and last, and the last one's id.</summary>
[GenerateSerializer, Immutable, Alias("alerts.folded-events")]
public sealed record FoldedEvents(
    [property: Id(0)] string EventType,
    [property: Id(1)] int Count,
    [property: Id(2)] DateTimeOffset First,
    [property: Id(3)] DateTimeOffset Last,
    [property: Id(4)] string LastEventId);

/// <summary>An ended window and the events folded in it.</summary>
[GenerateSerializer, Immutable, Alias("alerts.folded-window")]
public sealed record FoldedWindow(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] IReadOnlyList<FoldedEvents> Events);
