using Alerts.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Tests.Http;

/// <summary>A request never waits on the cluster past its deadline: it is answered 503 with Retry-After instead.</summary>
public sealed class RequestDeadlineTests
{
    private static readonly IOptions<RequestDeadlineOptions> Options =
        Microsoft.Extensions.Options.Options.Create(new RequestDeadlineOptions { Deadline = TimeSpan.FromSeconds(8), RetryAfterSeconds = 2 });

    private static DefaultHttpContext Context() => new()
    {
        RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider(),
        Response = { Body = new MemoryStream() },
    };

    [Fact]
    public async Task A_handler_still_waiting_on_the_cluster_at_the_deadline_becomes_a_deadline_failure()
    {
        var time = new FakeTimeProvider();
        var filter = new RequestDeadlineFilter(Options, time);
        var hung = new TaskCompletionSource<object?>();
        var answer = filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(Context()), _ => new ValueTask<object?>(hung.Task)).AsTask();

        time.Advance(TimeSpan.FromSeconds(7.9));
        Assert.False(answer.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await Assert.ThrowsAsync<ClusterDeadlineException>(() => answer);
        // What the handler ends with later is dropped, not thrown at anyone.
        hung.SetException(new TimeoutException("the cluster's own 30 s"));
    }

    [Fact]
    public async Task A_handler_that_answers_in_time_keeps_its_answer()
    {
        var time = new FakeTimeProvider();
        var filter = new RequestDeadlineFilter(Options, time);
        var slow = new TaskCompletionSource<object?>();
        var answer = filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(Context()), _ => new ValueTask<object?>(slow.Task)).AsTask();
        time.Advance(TimeSpan.FromSeconds(5));
        slow.SetResult("accepted");
        Assert.Equal("accepted", await answer);
    }

    [Fact]
    public async Task A_deadline_failure_is_a_503_with_retry_after()
    {
        var context = Context();
        var mapping = new ExceptionMapping(NullLogger<ExceptionMapping>.Instance, Options);
        Assert.True(await mapping.TryHandleAsync(context, new ClusterDeadlineException(TimeSpan.FromSeconds(8)), CancellationToken.None));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
    }
}
