using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// One trace per report or event, through the real processes: the caller's <c>traceparent</c> → the silo's HTTP span →
/// the organization grain → the decision → the delivery worker → the e-mail, and the subscription → the webhook
/// attempt → the receiver (which gets the same trace in its own <c>traceparent</c>). The spans are read as an
/// operator's collector gets them: exported over OTLP by the silo.
/// </summary>
[Collection(WebhookStackGroup.Name)]
public sealed class TracingEndToEndTests(WebhookStackFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private HttpClient Api => fixture.Stack.Api;

    /// <summary>A caller's span, as an instrumented client would send it.</summary>
    private static (string TraceId, string SpanId, string Header) CallerSpan()
    {
        var (trace, span) = (ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());
        return (trace, span, $"00-{trace}-{span}-01");
    }

    private async Task<JsonNode> PostAsync(string path, object body, string traceParent, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("traceparent", traceParent);
        using var response = await Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>
    /// The trace once it holds the span named <paramref name="spanName"/> and the silo's span of the caller's request:
    /// spans reach the collector in batches, so the request's span may come in a later one than its descendants'.
    /// </summary>
    private async Task<IReadOnlyList<OtlpReceiver.Span>> TraceWithAsync((string TraceId, string SpanId, string Header) caller, string spanName)
    {
        await Eventually.TrueAsync(() =>
        {
            var trace = fixture.Traces.Trace(caller.TraceId);
            return trace.Any(s => s.Name == spanName) && trace.Any(s => s.Kind == OtlpReceiver.Server && s.ParentSpanId == caller.SpanId);
        }, $"'{spanName}' and the request's span were exported in trace {caller.TraceId}", Patience);
        return fixture.Traces.Trace(caller.TraceId);
    }

    [Fact]
    public async Task A_report_over_the_limit_is_one_trace_from_the_request_to_the_email()
    {
        var org = await ApiScenario.CreateAsync(Api, limit: 3);
        await org.AddIntegrationAsync("crm", "outbound_webhook");
        await org.AddUserAsync("ops", "outgoing_integration__error");
        var caller = CallerSpan();
        var events = Enumerable.Range(0, 3).Select(i => new { event_id = $"traced-{i}", integration_id = "crm", outcome = "error", status_code = 502, message = "Bad Gateway" });
        await PostAsync($"{org.Path}/events", new { events }, caller.Header, HttpStatusCode.Accepted);

        await fixture.Stack.Inbox.WaitForAsync(org.Domain, 1, Patience);
        // The pass's span ends once the e-mail's result is recorded, after the e-mail itself.
        var trace = await TraceWithAsync(caller, "alerts.notification.pass");

        var request = Assert.Single(trace, s => s.Kind == OtlpReceiver.Server && s.ParentSpanId == caller.SpanId);
        Assert.Contains("/events", request.Name, StringComparison.Ordinal);
        Assert.Equal("alerts-silo", request.Service);
        var notify = Assert.Single(trace, s => s.Name == "alerts.threshold.notify");
        var pass = Assert.Single(trace, s => s.Name == "alerts.notification.pass");
        var send = Assert.Single(trace, s => s.Name == "alerts.notification.send");
        Assert.Equal(pass.SpanId, send.ParentSpanId);
        Assert.Equal(notify.SpanId, pass.ParentSpanId);
        var above = OtlpReceiver.Ancestry(trace, notify);
        Assert.Contains(above, s => s.Kind == OtlpReceiver.Server && s.Name.Contains("Organization", StringComparison.Ordinal));
        Assert.Equal(request.SpanId, above[^1].SpanId);
    }

    [Fact]
    public async Task A_platform_event_is_one_trace_from_the_request_to_the_receiver()
    {
        var org = await ApiScenario.CreateAsync(Api);
        await org.AddUserAsync("dev");
        var path = $"/{org.OrgId}/traced";
        await PostAsync($"{org.Path}/webhooks", new { url = fixture.Receiver.Url(path), events = new[] { "integration_created" }, product = "crm", owner_user_id = "dev" },
            CallerSpan().Header, HttpStatusCode.Created);
        var caller = CallerSpan();
        await PostAsync($"{org.Path}/platform-events", new
        {
            event_type = "integration_created", id = "traced-event", timestamp = "2026-11-26T10:15:00Z",
            integration_id = 31, integration_name = "CRM sync",
        }, caller.Header, HttpStatusCode.Accepted);

        var delivery = (await fixture.Receiver.WaitForAsync(path, 1, Patience))[0];
        // The receiver is told the trace too, so its own spans can join it.
        Assert.StartsWith($"00-{caller.TraceId}-", delivery.Headers["traceparent"]);
        var trace = await TraceWithAsync(caller, "alerts.webhook.attempt");
        var attempt = Assert.Single(trace, s => s.Name == "alerts.webhook.attempt");
        var request = Assert.Single(trace, s => s.Kind == OtlpReceiver.Server && s.ParentSpanId == caller.SpanId);
        Assert.Contains("/platform-events", request.Name, StringComparison.Ordinal);
        var above = OtlpReceiver.Ancestry(trace, attempt);
        Assert.Equal(request.SpanId, above[^1].SpanId);
        // The HTTP call to the receiver is the attempt's child, and its span is the receiver's parent.
        var outgoing = Assert.Single(trace, s => s.Kind == OtlpReceiver.Client && s.ParentSpanId == attempt.SpanId);
        Assert.EndsWith($"-{outgoing.SpanId}-01", delivery.Headers["traceparent"]);
    }
}
