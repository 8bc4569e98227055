using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Alerts.IntegrationTests.Support;

/// <summary>A server ended before it opened its port (typically: the port was taken).</summary>
public sealed class ProcessExitedException(string message) : InvalidOperationException(message);

/// <summary>A server the tests start and stop by PID, keeping the tail of its output for failure messages.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }
    public int Id { get; private set; }
    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.Start();
        child.Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public static ChildProcess Dotnet(string name, string dll, IDictionary<string, string> environment, params string[] arguments) =>
        Start(name, "dotnet", [dll, .. arguments], environment);

    public string Tail => $"--- last output of {Name} (pid {Id}) ---\n{string.Join('\n', _output)}";

    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited) throw new ProcessExitedException($"{Name} exited with {_process.ExitCode}\n{Tail}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"{Name} did not open port {port} within {timeout}\n{Tail}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Asks the process to stop (SIGTERM, as Ctrl-C or an orchestrator would) and waits; kills it if it does not.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Kill();
        }
    }

    /// <summary>Ends the process at once, as a crash or kill -9 would.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        _process.Dispose();
        lock (_output)
        {
            _logClosed = true;
            _log?.Dispose();
        }
    }

    /// <summary>
    /// When <c>ALERTS_TEST_LOGS</c> names a folder, every line each server prints is also written there, one file per
    /// process (for reading a failed run afterwards; the tail above is all a failure message carries).
    /// </summary>
    private static readonly string? LogFolder = Environment.GetEnvironmentVariable("ALERTS_TEST_LOGS");

    private StreamWriter? _log;
    private bool _logClosed;

    private void Keep(string? line)
    {
        if (line is null) return;
        if (LogFolder is not null)
        {
            lock (_output)
            {
                if (_logClosed) return;
                _log ??= new StreamWriter(Path.Combine(Directory.CreateDirectory(LogFolder).FullName, $"{Name.Replace(':', '-')}-{Id}.log"), append: true) { AutoFlush = true };
                _log.WriteLine(line);
            }
        }
        _output.Enqueue(line);
        while (_output.Count > 200) _output.TryDequeue(out _);
    }
}
