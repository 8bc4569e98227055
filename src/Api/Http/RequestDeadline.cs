using System.ComponentModel.DataAnnotations;

namespace Alerts.Api.Http;

/// <summary>
/// Configuration section <c>Alerts:Http</c>. <see cref="Deadline"/> bounds how long a request waits on the cluster: a
/// grain call to a silo that has just died waits for Orleans to declare it dead or for its 30 s response timeout, and
/// a caller should not. Past the deadline the answer is 503 with <c>Retry-After</c>; the work may still complete, which
/// is why a reporter retries with the same event ids (counted once).
/// </summary>
public sealed class RequestDeadlineOptions
{
    public const string Section = "Alerts:Http";

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>The <c>Retry-After</c> of every 503, in seconds.</summary>
    [Range(1, 300)]
    public int RetryAfterSeconds { get; set; } = 2;
}

/// <summary>The deadline of <see cref="RequestDeadlineOptions"/> as an endpoint filter: the handler's wait, not its work.</summary>
public sealed class RequestDeadlineFilter(IOptions<RequestDeadlineOptions> options, TimeProvider? time = null) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var work = next(context);
        if (work.IsCompleted) return await work;
        var pending = work.AsTask();
        try
        {
            return await pending.WaitAsync(options.Value.Deadline, time ?? TimeProvider.System, context.HttpContext.RequestAborted);
        }
        catch (TimeoutException)
        {
            // The handler goes on alone; whatever it ends with is observed here and dropped.
            _ = pending.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            throw new ClusterDeadlineException(options.Value.Deadline);
        }
    }
}

/// <summary>The cluster did not answer within the request's deadline (mapped to 503 with <c>Retry-After</c>).</summary>
public sealed class ClusterDeadlineException(TimeSpan deadline)
    : TimeoutException($"The cluster did not answer within {deadline.TotalSeconds:0.#} s.");
