namespace Alerts.Grains.Policies;

/// <summary>
/// The errors of one organization and direction that may still count towards a threshold (SPEC §2.2).
/// <para>
/// Exact occurrence times are kept for the most recent <see cref="Capacity"/> errors, so every threshold
/// decision with a limit up to that capacity is exact. All errors are also kept in minute buckets per
/// integration, which give the "top failing integrations" and, past the capacity, the count (to the minute).
/// Nothing older than the longest interval or at/before the last notification is kept: it can never count again.
/// </para>
/// </summary>
[GenerateSerializer, Alias("alerts.error-window")]
public sealed class ErrorWindow
{
    public const int Capacity = 1024;

    /// <summary>Exact occurrence times (UTC ticks), ascending: at least the latest <see cref="Capacity"/>, at most twice that.</summary>
    [Id(0)] public List<long> Recent { get; set; } = [];

    /// <summary>Every error at or after this tick that is still kept is in <see cref="Recent"/>.</summary>
    [Id(1)] public long ExactFrom { get; set; }

    /// <summary>Errors per (minute, integration), ascending by minute.</summary>
    [Id(2)] public List<MinuteCount> Minutes { get; set; } = [];

    public void Add(DateTimeOffset occurredAt, string integrationId)
    {
        var ticks = occurredAt.UtcTicks;
        AddExact(ticks);
        AddToMinute(ticks / TimeSpan.TicksPerMinute, integrationId);
    }

    /// <summary>Forgets every error that occurred at or before <paramref name="boundary"/>.</summary>
    public void ForgetUpTo(DateTimeOffset boundary)
    {
        var ticks = boundary.UtcTicks;
        var keep = UpperBound(Recent, ticks);
        if (keep > 0) Recent.RemoveRange(0, keep);
        // A minute bucket goes once all of it lies at or before the boundary.
        var lastWholeMinute = (ticks + 1) / TimeSpan.TicksPerMinute - 1;
        Minutes.RemoveAll(bucket => bucket.Minute <= lastWholeMinute);
    }

    /// <summary>Errors that occurred strictly after <paramref name="cutoff"/>; exact unless more than <see cref="Capacity"/>.</summary>
    public ErrorCount CountAfter(DateTimeOffset cutoff)
    {
        var ticks = cutoff.UtcTicks;
        var exact = Recent.Count - UpperBound(Recent, ticks);
        if (ticks + 1 >= ExactFrom) return new ErrorCount(exact, Exact: true);
        // Some errors after the cutoff fell out of the exact list: estimate from the whole minutes after it.
        var firstWholeMinute = (ticks + TimeSpan.TicksPerMinute) / TimeSpan.TicksPerMinute;
        var fromBuckets = Minutes.Where(bucket => bucket.Minute >= firstWholeMinute).Sum(bucket => (long)bucket.Count);
        return new ErrorCount((int)Math.Min(int.MaxValue, Math.Max(exact, fromBuckets)), Exact: false);
    }

    /// <summary>The integrations with the most errors after <paramref name="cutoff"/> (to the minute), most first.</summary>
    public IReadOnlyList<(string IntegrationId, int Errors)> TopIntegrationsAfter(DateTimeOffset cutoff, int take)
    {
        var firstMinute = cutoff.UtcTicks / TimeSpan.TicksPerMinute;
        return Minutes
            .Where(bucket => bucket.Minute >= firstMinute)
            .GroupBy(bucket => bucket.IntegrationId, StringComparer.Ordinal)
            .Select(group => (group.Key, group.Sum(bucket => bucket.Count)))
            .OrderByDescending(pair => pair.Item2)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(take)
            .ToList();
    }

    private void AddExact(long ticks)
    {
        if (ticks < ExactFrom) return;
        Recent.Insert(UpperBound(Recent, ticks), ticks);
        // Trim in bulk once the list doubles, so the cost per error stays constant (one move per Capacity errors).
        if (Recent.Count < 2 * Capacity) return;
        var drop = Recent.Count - Capacity;
        ExactFrom = Math.Max(ExactFrom, Recent[drop - 1] + 1);
        Recent.RemoveRange(0, drop);
    }

    private void AddToMinute(long minute, string integrationId)
    {
        for (var i = Minutes.Count - 1; i >= 0 && Minutes[i].Minute >= minute; i--)
        {
            if (Minutes[i].Minute == minute && string.Equals(Minutes[i].IntegrationId, integrationId, StringComparison.Ordinal))
            {
                Minutes[i].Count++;
                return;
            }
        }
        var at = Minutes.Count;
        while (at > 0 && Minutes[at - 1].Minute > minute) at--;
        Minutes.Insert(at, new MinuteCount { Minute = minute, IntegrationId = integrationId, Count = 1 });
    }

    /// <summary>Index of the first element greater than <paramref name="value"/>.</summary>
    private static int UpperBound(List<long> sorted, long value)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (sorted[mid] <= value) low = mid + 1; else high = mid;
        }
        return low;
    }
}

[GenerateSerializer, Alias("alerts.minute-count")]
public sealed class MinuteCount
{
    /// <summary>Minutes since 0001-01-01 UTC.</summary>
    [Id(0)] public long Minute { get; set; }
    [Id(1)] public string IntegrationId { get; set; } = "";
    [Id(2)] public int Count { get; set; }
}

public readonly record struct ErrorCount(int Count, bool Exact);
