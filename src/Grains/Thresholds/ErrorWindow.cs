using Alerts.Contracts;
using Alerts.Grains.Notify;

namespace Alerts.Grains.Thresholds;

/// <summary>
/// The errors of one organization and direction that may still count towards its threshold (SPEC §2.2), kept only
/// while the direction is active and only for as long as its interval, in a size that does not grow with traffic.
/// <para>
/// Exact occurrence times are kept for the latest <see cref="ExactCapacity"/> errors (at most twice that), so every
/// decision with a limit up to that capacity is exact: it fires on the N-th error, not before. All errors are also
/// counted in <see cref="BucketCount"/> buckets spanning the interval (5 s wide for 5 minutes, 1 minute for an hour,
/// 168 minutes for 7 days): past the exact capacity the count comes from the buckets whole after the cutoff (never
/// more than the truth). Each bucket keeps its <see cref="TopPerBucket"/> most failing integrations (Space-Saving: an
/// integration that displaces another inherits its count), which give the "top failing integrations".
/// <para>
/// Each bucket also keeps its <see cref="TopPerBucket"/> most frequent status codes (with the integration type), and the
/// window keeps its <see cref="LatestCapacity"/> latest errors in words: what a threshold alert shows is captured here at
/// the decision, so rendering it reads nothing back.
/// </para>
/// Stored size: at most 2 × 1,024 × 8 bytes of times plus 61 buckets × (16 + 6 × (id + 4) + 6 × 12) bytes plus 5 latest
/// lines of at most ~450 characters, about 16 KiB + 66 KiB + 5 KiB with 128-character integration ids.
/// </summary>
[GenerateSerializer, Alias("alerts.error-window.v2")]
public sealed class ErrorWindow
{
    public const int ExactCapacity = 1024;
    public const int BucketCount = 60;
    public const int TopPerBucket = 6;
    public const int LatestCapacity = 5;

    /// <summary>Exact occurrence times (UTC ticks), ascending.</summary>
    [Id(0)] public List<long> Recent { get; set; } = [];

    /// <summary>Every kept error at or after this tick is in <see cref="Recent"/>.</summary>
    [Id(1)] public long ExactFrom { get; set; }

    [Id(2)] public long BucketTicks { get; set; } = 1;

    /// <summary>Non-empty buckets, ascending by index (index = ticks / <see cref="BucketTicks"/>).</summary>
    [Id(3)] public List<ErrorBucket> Buckets { get; set; } = [];

    /// <summary>The latest errors in words, ascending by time; at most <see cref="LatestCapacity"/>.</summary>
    [Id(4)] public List<LatestLine> Latest { get; set; } = [];

    public static ErrorWindow For(TimeSpan interval) => new() { BucketTicks = WidthFor(interval) };

    public int Count => Buckets.Sum(bucket => bucket.Count);

    public void Add(DateTimeOffset occurredAt, string integrationId) => Add(occurredAt, integrationId, null, default);

    /// <summary>Counts an error, with its status code and the type of the integration it failed in.</summary>
    public void Add(DateTimeOffset occurredAt, string integrationId, int? code, IntegrationType type)
    {
        var ticks = occurredAt.UtcTicks;
        AddExact(ticks);
        var bucket = BucketAt(ticks / BucketTicks);
        bucket.Add(integrationId);
        bucket.AddCode(code, type, 1);
    }

    /// <summary>Whether an error at this time would be among the latest kept (so its words are worth making).</summary>
    public bool IsAmongLatest(DateTimeOffset occurredAt) => Latest.Count < LatestCapacity || occurredAt > Latest[0].At;

    /// <summary>Keeps an error's words if it is among the <see cref="LatestCapacity"/> latest.</summary>
    public void AddLatest(LatestLine line)
    {
        if (!IsAmongLatest(line.At)) return;
        var at = Latest.Count;
        while (at > 0 && Latest[at - 1].At > line.At) at--;
        Latest.Insert(at, line);
        if (Latest.Count > LatestCapacity) Latest.RemoveAt(0);
    }

    /// <summary>The kept latest errors after <paramref name="cutoff"/>, most recent first.</summary>
    public IReadOnlyList<LatestLine> LatestAfter(DateTimeOffset cutoff) =>
        Latest.Where(line => line.At > cutoff).Reverse().ToList();

    /// <summary>
    /// The status codes with the most errors after <paramref name="cutoff"/> (to the bucket), most first, each with the
    /// integration type it failed most in.
    /// </summary>
    public IReadOnlyList<AlertCode> TopCodesAfter(DateTimeOffset cutoff, int take)
    {
        var first = cutoff.UtcTicks / BucketTicks;
        return Buckets
            .Where(bucket => bucket.Index >= first)
            .SelectMany(bucket => bucket.Codes)
            .GroupBy(tally => (tally.Code, tally.Type))
            .Select(group => (group.Key.Code, group.Key.Type, Errors: group.Sum(tally => tally.Count)))
            .GroupBy(pair => pair.Code)
            .Select(group => new AlertCode(group.Key, group.MaxBy(pair => pair.Errors).Type, group.Sum(pair => pair.Errors)))
            .OrderByDescending(code => code.Errors)
            .ThenBy(code => code.Code ?? int.MaxValue)
            .Take(take)
            .ToList();
    }

    /// <summary>Forgets every error that occurred at or before <paramref name="boundary"/> (a bucket once all of it is).</summary>
    public void ForgetUpTo(DateTimeOffset boundary)
    {
        var ticks = boundary.UtcTicks;
        var drop = UpperBound(Recent, ticks);
        if (drop > 0) Recent.RemoveRange(0, drop);
        var lastWhole = (ticks + 1) / BucketTicks - 1;
        var whole = 0;
        while (whole < Buckets.Count && Buckets[whole].Index <= lastWhole) whole++;
        if (whole > 0) Buckets.RemoveRange(0, whole);
        Latest.RemoveAll(line => line.At.UtcTicks <= ticks);
    }

    /// <summary>Errors that occurred strictly after <paramref name="cutoff"/>; exact unless more than <see cref="ExactCapacity"/>.</summary>
    public ErrorCount CountAfter(DateTimeOffset cutoff)
    {
        var ticks = cutoff.UtcTicks;
        var exact = Recent.Count - UpperBound(Recent, ticks);
        if (ticks + 1 >= ExactFrom) return new ErrorCount(exact, Exact: true);
        // Some errors after the cutoff fell out of the exact list: count the buckets wholly after it.
        var firstWhole = ticks / BucketTicks + 1;
        var fromBuckets = Buckets.Where(bucket => bucket.Index >= firstWhole).Sum(bucket => (long)bucket.Count);
        return new ErrorCount((int)Math.Min(int.MaxValue, Math.Max(exact, fromBuckets)), Exact: false);
    }

    /// <summary>The integrations with the most errors after <paramref name="cutoff"/> (to the bucket), most first.</summary>
    public IReadOnlyList<(string IntegrationId, int Errors)> TopIntegrationsAfter(DateTimeOffset cutoff, int take)
    {
        var first = cutoff.UtcTicks / BucketTicks;
        return Buckets
            .Where(bucket => bucket.Index >= first)
            .SelectMany(bucket => bucket.Top)
            .GroupBy(top => top.IntegrationId, StringComparer.Ordinal)
            .Select(group => (group.Key, group.Sum(top => top.Count)))
            .OrderByDescending(pair => pair.Item2)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(take)
            .ToList();
    }

    /// <summary>Re-buckets for another interval (a settings change): each old bucket lands where its start falls.</summary>
    public void Resize(TimeSpan interval)
    {
        var width = WidthFor(interval);
        if (width == BucketTicks) return;
        var old = Buckets;
        var oldWidth = BucketTicks;
        BucketTicks = width;
        Buckets = [];
        foreach (var bucket in old)
        {
            var target = BucketAt(bucket.Index * oldWidth / width);
            target.Count += bucket.Count;
            foreach (var top in bucket.Top) target.Add(top.IntegrationId, top.Count, countTotal: false);
            foreach (var tally in bucket.Codes) target.AddCode(tally.Code, tally.Type, tally.Count);
        }
    }

    private static long WidthFor(TimeSpan interval) => Math.Max(1, interval.Ticks / BucketCount);

    private ErrorBucket BucketAt(long index)
    {
        var at = Buckets.Count;
        while (at > 0 && Buckets[at - 1].Index > index) at--;
        if (at > 0 && Buckets[at - 1].Index == index) return Buckets[at - 1];
        var bucket = new ErrorBucket { Index = index };
        Buckets.Insert(at, bucket);
        return bucket;
    }

    private void AddExact(long ticks)
    {
        if (ticks < ExactFrom) return;
        var at = Recent.Count;
        if (at == 0 || Recent[at - 1] <= ticks) Recent.Add(ticks);
        else Recent.Insert(UpperBound(Recent, ticks), ticks);
        // Trim in bulk once the list doubles, so the cost per error stays constant.
        if (Recent.Count < 2 * ExactCapacity) return;
        var drop = Recent.Count - ExactCapacity;
        ExactFrom = Math.Max(ExactFrom, Recent[drop - 1] + 1);
        Recent.RemoveRange(0, drop);
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

[GenerateSerializer, Alias("alerts.error-bucket")]
public sealed class ErrorBucket
{
    [Id(0)] public long Index { get; set; }
    [Id(1)] public int Count { get; set; }
    [Id(2)] public List<IntegrationCount> Top { get; set; } = [];

    /// <summary>The most frequent (status code, integration type) pairs, Space-Saving like <see cref="Top"/>.</summary>
    [Id(3)] public List<CodeTally> Codes { get; set; } = [];

    public void Add(string integrationId) => Add(integrationId, 1, countTotal: true);

    /// <summary>Space-Saving: a new integration in a full bucket replaces the least counted one and inherits its count.</summary>
    public void Add(string integrationId, int count, bool countTotal)
    {
        if (countTotal) Count += count;
        var found = Top.Find(top => string.Equals(top.IntegrationId, integrationId, StringComparison.Ordinal));
        if (found is not null)
        {
            found.Count += count;
            return;
        }
        if (Top.Count < ErrorWindow.TopPerBucket)
        {
            Top.Add(new IntegrationCount { IntegrationId = integrationId, Count = count });
            return;
        }
        var least = Top.MinBy(top => top.Count)!;
        least.IntegrationId = integrationId;
        least.Count += count;
    }

    /// <summary>Counts a code; a new one in a full list replaces the least counted and inherits its count.</summary>
    public void AddCode(int? code, IntegrationType type, int count)
    {
        foreach (var tally in Codes)
        {
            if (tally.Code != code || tally.Type != type) continue;
            tally.Count += count;
            return;
        }
        if (Codes.Count < ErrorWindow.TopPerBucket)
        {
            Codes.Add(new CodeTally { Code = code, Type = type, Count = count });
            return;
        }
        var least = Codes.MinBy(tally => tally.Count)!;
        (least.Code, least.Type) = (code, type);
        least.Count += count;
    }
}

[GenerateSerializer, Alias("alerts.code-tally")]
public sealed class CodeTally
{
    [Id(0)] public int? Code { get; set; }
    [Id(1)] public IntegrationType Type { get; set; }
    [Id(2)] public int Count { get; set; }
}

[GenerateSerializer, Alias("alerts.integration-count")]
public sealed class IntegrationCount
{
    [Id(0)] public string IntegrationId { get; set; } = "";
    [Id(1)] public int Count { get; set; }
}

public readonly record struct ErrorCount(int Count, bool Exact);
