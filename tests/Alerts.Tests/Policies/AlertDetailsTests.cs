using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Thresholds;

namespace Alerts.Tests.Policies;

/// <summary>
/// What a threshold alert shows beyond its count — the top codes with the type they failed most in, the latest errors
/// in words — is captured by the direction's window as errors are counted, so the alert carries it and rendering
/// reads nothing back; bounded like the window.
/// </summary>
public sealed class AlertDetailsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static void Add(ErrorWindow window, int second, int? code, IntegrationType type = IntegrationType.OutboundWebhook, string message = "m")
    {
        var at = T0.AddSeconds(second);
        window.Add(at, "crm", code, type);
        if (window.IsAmongLatest(at)) window.AddLatest(new LatestLine(at, "CRM sync", code, LatestLine.Shorten(message)));
    }

    [Fact]
    public void Top_codes_are_counted_after_the_cutoff_most_first_each_with_the_type_it_failed_most_in()
    {
        var window = ErrorWindow.For(TimeSpan.FromHours(1));
        for (var i = 0; i < 3; i++) Add(window, 120 + i, 502);
        Add(window, 130, 502, IntegrationType.InboundWebhook);
        for (var i = 0; i < 2; i++) Add(window, 140 + i, 429);
        Add(window, 150, null);
        Add(window, 160, 401);
        // Before the cutoff, in an earlier bucket: not counted.
        for (var i = 0; i < 9; i++) Add(window, i, 500);

        var codes = window.TopCodesAfter(T0.AddMinutes(2), 3);

        Assert.Equal([new AlertCode(502, IntegrationType.OutboundWebhook, 4), new AlertCode(429, IntegrationType.OutboundWebhook, 2), new AlertCode(401, IntegrationType.OutboundWebhook, 1)], codes);
    }

    [Fact]
    public void The_latest_five_errors_are_kept_in_words_newest_first_whatever_the_order_of_arrival()
    {
        var window = ErrorWindow.For(TimeSpan.FromHours(1));
        foreach (var second in new[] { 50, 10, 70, 30, 60, 20, 40 }) Add(window, second, 500, message: $"at {second}");
        Add(window, 80, 502, message: new string('x', 300));

        var latest = window.LatestAfter(T0.AddSeconds(35));

        Assert.Equal(["x", "at 70", "at 60", "at 50", "at 40"], latest.Select(l => l.Message.StartsWith('x') ? "x" : l.Message));
        Assert.Equal(LatestLine.MaxMessage + 1, latest[0].Message.Length);
        Assert.Equal(ErrorWindow.LatestCapacity, window.Latest.Count);
        // Only what is after the cutoff is shown.
        Assert.Equal(2, window.LatestAfter(T0.AddSeconds(60)).Count);
    }

    [Fact]
    public void Forgetting_up_to_a_decision_forgets_its_latest_errors_and_a_resize_keeps_the_codes()
    {
        var window = ErrorWindow.For(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 4; i++) Add(window, 10 + i, 503);

        window.Resize(TimeSpan.FromHours(1));
        Assert.Equal([new AlertCode(503, IntegrationType.OutboundWebhook, 4)], window.TopCodesAfter(T0, 3));

        window.ForgetUpTo(T0.AddSeconds(20));
        Assert.Empty(window.Latest);
        Add(window, 30, 503);
        Assert.Single(window.LatestAfter(T0.AddSeconds(20)));
    }

    [Fact]
    public void A_bucket_keeps_at_most_six_codes_and_the_newcomer_inherits_the_least_count()
    {
        var bucket = new ErrorBucket();
        for (var code = 500; code < 506; code++) bucket.AddCode(code, IntegrationType.OutboundWebhook, code - 499);
        bucket.AddCode(404, IntegrationType.OutboundWebhook, 1);

        Assert.Equal(ErrorWindow.TopPerBucket, bucket.Codes.Count);
        Assert.DoesNotContain(bucket.Codes, tally => tally.Code == 500);
        Assert.Equal(2, bucket.Codes.Single(tally => tally.Code == 404).Count);
    }
}
