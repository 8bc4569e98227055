using System.Diagnostics;
using Alerts.Contracts;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// One trace from the caller to what its reports or events caused: through the organization grain, the outbox and the
/// delivery worker to each e-mail, and through a subscription's waiting queue to the webhook's attempt.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class TracingTests(ClusterFixture fixture)
{
    private static readonly DirectionSettings TwoInOneHour = new(2, FailureInterval.OneHour);

    [Fact]
    public async Task A_report_that_crosses_the_limit_is_traced_from_its_caller_to_each_email()
    {
        using var capture = new TraceCapture();
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: TwoInOneHour);
        await org.AddUserAsync("a", NotificationEvents.OutgoingIntegrationError);
        await org.AddUserAsync("b", NotificationEvents.OutgoingIntegrationError);

        ActivityTraceId traceId;
        ActivitySpanId requestSpan;
        using (var request = TraceCapture.StartRequest())
        {
            (traceId, requestSpan) = (request.TraceId, request.SpanId);
            await org.ErrorsAsync(OrgScenario.Outgoing, 2);
        }
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(org.Domain).Count == 2, "both e-mails were sent");
        // The pass's span ends last, once both results are recorded.
        await Eventually.TrueAsync(() => capture.Trace(traceId).Any(s => s.OperationName == "alerts.notification.pass"), "the pass was traced");

        var trace = capture.Trace(traceId);
        var notify = Assert.Single(trace, s => s.OperationName == "alerts.threshold.notify");
        var pass = Assert.Single(trace, s => s.OperationName == "alerts.notification.pass");
        Assert.Equal(org.OrgId, pass.GetTagItem("alerts.org"));
        Assert.Equal(2, pass.GetTagItem("alerts.sent"));
        // Each e-mail under the pass, the pass under the decision, the decision under the organization grain's call,
        // and that under the caller's request.
        var sends = trace.Where(s => s.OperationName == "alerts.notification.send").ToList();
        Assert.Equal(2, sends.Count);
        Assert.All(sends, send =>
        {
            Assert.Equal(pass.SpanId, send.ParentSpanId);
            Assert.Equal("delivered", send.GetTagItem("alerts.outcome"));
        });
        Assert.Equal(notify.SpanId, pass.ParentSpanId);
        var above = TraceCapture.Ancestry(trace, notify);
        Assert.Contains(above, s => s.Kind == ActivityKind.Server && s.OperationName.Contains("Organization", StringComparison.Ordinal));
        Assert.Equal(requestSpan, above[^1].ParentSpanId);
    }
}
