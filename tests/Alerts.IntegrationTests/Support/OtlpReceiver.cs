using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alerts.IntegrationTests.Support;

/// <summary>
/// An OpenTelemetry collector's front door on 127.0.0.1 for tests: accepts OTLP over HTTP (protobuf), as the exporters
/// in Alerts' processes send it when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> points here, and keeps the spans' ids and
/// names (metrics and logs are accepted and dropped).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    /// <summary>One span as exported: ids in lowercase hex, as in a <c>traceparent</c>.</summary>
    public sealed record Span(string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, string Service);

    /// <summary>OTLP's span kinds.</summary>
    public const int Server = 2, Client = 3;

    private readonly ConcurrentQueue<Span> _spans = new();
    private WebApplication? _app;

    public string Endpoint { get; private set; } = "";

    /// <summary>What the Alerts processes need to export their traces here quickly.</summary>
    public Dictionary<string, string> ExporterSettings() => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
    };

    public async Task<OtlpReceiver> StartAsync()
    {
        (_app, Endpoint) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1/traces", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                _exports.Enqueue(body.ToArray());
                foreach (var span in ReadSpans(body.ToArray())) _spans.Enqueue(span);
                return Results.Ok();
            });
            app.MapPost("/v1/{signal}", () => Results.Ok());
        });
        return this;
    }

    public IReadOnlyList<Span> Trace(string traceId) => _spans.Where(s => s.TraceId == traceId).ToList();

    /// <summary>Every span received with this name.</summary>
    public IReadOnlyList<Span> Named(string name) => _spans.Where(s => s.Name == name).ToList();

    /// <summary>Whether any export so far carried <paramref name="text"/> anywhere (a name, an attribute, an event).</summary>
    public bool Exported(string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return _exports.Any(export => export.AsSpan().IndexOf(needle) >= 0);
    }

    private readonly ConcurrentQueue<byte[]> _exports = new();

    /// <summary>The spans above <paramref name="span"/> in its trace, nearest first.</summary>
    public static List<Span> Ancestry(IReadOnlyList<Span> trace, Span span)
    {
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var path = new List<Span>();
        for (var at = span; at.ParentSpanId.Length > 0 && byId.TryGetValue(at.ParentSpanId, out var parent); at = parent) path.Add(parent);
        return path;
    }

    /// <summary>
    /// ExportTraceServiceRequest → resource_spans (1) → [resource (1) → attributes (1)] and scope_spans (2) → spans (2):
    /// trace_id (1), span_id (2), parent_span_id (4), name (5), kind (6).
    /// </summary>
    private static IEnumerable<Span> ReadSpans(byte[] request)
    {
        foreach (var resourceSpans in Fields(request, 0, request.Length).Where(f => f.Number == 1))
        {
            var service = "";
            foreach (var resource in Fields(request, resourceSpans.Start, resourceSpans.End).Where(f => f.Number == 1))
            foreach (var attribute in Fields(request, resource.Start, resource.End).Where(f => f.Number == 1))
            {
                var parts = Fields(request, attribute.Start, attribute.End).ToList();
                var key = parts.FirstOrDefault(f => f.Number == 1);
                var value = parts.FirstOrDefault(f => f.Number == 2);
                if (key.Number == 1 && Text(request, key) == "service.name" && value.Number == 2)
                    service = Fields(request, value.Start, value.End).Where(f => f.Number == 1).Select(f => Text(request, f)).FirstOrDefault() ?? "";
            }
            foreach (var scopeSpans in Fields(request, resourceSpans.Start, resourceSpans.End).Where(f => f.Number == 2))
            foreach (var span in Fields(request, scopeSpans.Start, scopeSpans.End).Where(f => f.Number == 2))
            {
                var fields = Fields(request, span.Start, span.End).ToList();
                string Hex(int number) => fields.Where(f => f.Number == number).Select(f => Convert.ToHexStringLower(request.AsSpan(f.Start, f.End - f.Start))).FirstOrDefault() ?? "";
                yield return new Span(Hex(1), Hex(2), Hex(4),
                    fields.Where(f => f.Number == 5).Select(f => Text(request, f)).FirstOrDefault() ?? "",
                    (int)(fields.FirstOrDefault(f => f.Number == 6).Varint), service);
            }
        }
    }

    private readonly record struct Field(int Number, int WireType, ulong Varint, int Start, int End);

    private static string Text(byte[] buffer, Field field) => System.Text.Encoding.UTF8.GetString(buffer, field.Start, field.End - field.Start);

    /// <summary>The fields of one protobuf message in <c>buffer[start..end)</c>; a length-delimited field's bytes are Start..End.</summary>
    private static IEnumerable<Field> Fields(byte[] buffer, int start, int end)
    {
        var at = start;
        while (at < end)
        {
            var tag = ReadVarint(buffer, ref at);
            var (number, wireType) = ((int)(tag >> 3), (int)(tag & 7));
            switch (wireType)
            {
                case 0:
                    yield return new Field(number, 0, ReadVarint(buffer, ref at), 0, 0);
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(buffer, ref at);
                    yield return new Field(number, 2, 0, at, at + length);
                    at += length;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"protobuf wire type {wireType} at byte {at}");
            }
        }
    }

    private static ulong ReadVarint(byte[] buffer, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = buffer[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
