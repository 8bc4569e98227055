namespace Alerts.Storage;

/// <summary>Runs a piece of start-up work (creating a table, say) before the silo takes calls.</summary>
public sealed class StartupTask(string name, Func<CancellationToken, Task> work) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(StartupTask)}-{name}", ServiceLifecycleStage.RuntimeInitialize, work);
}
