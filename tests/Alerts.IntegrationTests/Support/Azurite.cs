using System.Globalization;

namespace Alerts.IntegrationTests.Support;

/// <summary>Azurite from tools/ on free ports: in memory, or in a folder that outlives a restart.</summary>
public sealed class Azurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private ChildProcess? _process;

    public Azurite(string? location = null)
    {
        Location = location;
    }

    /// <summary>Null: in memory (gone when stopped).</summary>
    public string? Location { get; }
    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey +
        $";BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1" +
        $";QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1" +
        $";TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>Starts on the ports of a previous start (a restart on the same data) or on new ones.</summary>
    public Task StartAsync() => BlobPort != 0
        ? StartOnPortsAsync()
        : Repository.StartWithRetryAsync(
            () => (BlobPort, QueuePort, TablePort) = (Repository.FreePort(), Repository.FreePort(), Repository.FreePort()),
            StartOnPortsAsync, StopAsync);

    private async Task StartOnPortsAsync()
    {
        List<string> arguments =
        [
            "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", Port(BlobPort),
            "--queueHost", "127.0.0.1", "--queuePort", Port(QueuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Port(TablePort),
        ];
        if (Location is null) arguments.Add("--inMemoryPersistence");
        else arguments.AddRange(["--location", Location]);
        _process = ChildProcess.Start("azurite", Repository.Tool("azurite"), arguments);
        await _process.WaitForPortAsync(TablePort, TimeSpan.FromSeconds(30));
        await _process.WaitForPortAsync(BlobPort, TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops Azurite gracefully, so a persistent location is flushed to disk (it saves periodically, not per write).</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        await _process.TerminateAsync(TimeSpan.FromSeconds(20));
        await _process.DisposeAsync();
        _process = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
