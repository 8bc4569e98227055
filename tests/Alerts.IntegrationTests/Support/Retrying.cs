namespace Alerts.IntegrationTests.Support;

/// <summary>Calls a test makes while the cluster is still noticing a dead silo may fail or time out; it retries them.</summary>
public static class Retrying
{
    public static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(500);
            }
        }
    }
}
