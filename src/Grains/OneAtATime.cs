namespace Alerts.Grains;

/// <summary>
/// Runs async steps one after another inside a reentrant grain, whose turns may interleave at every await: a step starts
/// only when the one queued before it has finished. Not thread-safe; a grain's turns never run in parallel.
/// </summary>
public sealed class OneAtATime
{
    private Task _tail = Task.CompletedTask;

    public async Task<T> RunAsync<T>(Func<Task<T>> step)
    {
        var result = default(T)!;
        await RunAsync(async () => { result = await step(); });
        return result;
    }

    public async Task RunAsync(Func<Task> step)
    {
        var previous = _tail;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _tail = done.Task;
        try
        {
            await previous;
            await step();
        }
        finally
        {
            done.SetResult();
        }
    }
}
