using System.Collections.Concurrent;
using System.Diagnostics;
using Alerts.Contracts.Telemetry;

namespace Alerts.Tests.Support;

/// <summary>
/// Records the spans Alerts and Orleans finish while it lives, as a tracer would (every span sampled), so a test can
/// follow one trace through the cluster. Listeners are process-wide: read only the traces the test started.
/// </summary>
public sealed class TraceCapture : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TraceCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AlertsTelemetry.Name || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>A root span of the test's own, as an instrumented caller (an HTTP request, a reporter) would have.</summary>
    public static Activity StartRequest(string name = "test request") =>
        new Activity(name).SetIdFormat(ActivityIdFormat.W3C).Start();

    public IReadOnlyList<Activity> Trace(ActivityTraceId trace) => _stopped.Where(span => span.TraceId == trace).ToList();

    /// <summary>The spans from <paramref name="span"/> up to the trace's root, nearest first (by parent span id).</summary>
    public static List<Activity> Ancestry(IReadOnlyList<Activity> trace, Activity span)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        var path = new List<Activity>();
        for (var at = span; at.ParentSpanId != default && byId.TryGetValue(at.ParentSpanId, out var parent); at = parent) path.Add(parent);
        return path;
    }

    public void Dispose() => _listener.Dispose();
}
