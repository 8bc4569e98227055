using System.Net;
using System.Net.Sockets;

namespace Alerts.IntegrationTests.Support;

/// <summary>Where the built programs and the dev services are, found from the test assembly's location.</summary>
public static class Repository
{
    public static readonly string Root = FindRoot();

    /// <summary>Debug or Release: whatever this test assembly was built as.</summary>
    public static readonly string Configuration =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Program(string projectFolder, string assemblyName) =>
        Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", assemblyName + ".dll");

    public static string Tool(string name)
    {
        var path = Path.Combine(Root, "tools", "node_modules", ".bin", name);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run 'npm ci' in tools/ (./test.sh does).");
    }

    private static readonly HashSet<int> Given = [];
    private static readonly Random Ports = new();

    /// <summary>
    /// A port that is free now, from 20000-23999 and 25000-32767: below Linux's ephemeral range (32768 and up), so an
    /// outgoing connection cannot take it between now and the server binding it, and never handed out twice by this
    /// process. Another process can still take it first: servers are started with <see cref="StartWithRetryAsync"/>.
    /// </summary>
    public static int FreePort()
    {
        lock (Given)
        {
            while (true)
            {
                var port = Ports.Next(20000, 32768);
                if (port is >= 24000 and < 25000 || !Given.Add(port)) continue; // 24000s: bench/run.sh's ports
                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    return port;
                }
                catch (SocketException)
                {
                    // In use: try another.
                }
            }
        }
    }

    /// <summary>The first of <paramref name="count"/> consecutive ports free now (Azurite's blob, queue and table ports).</summary>
    public static int FreePortRun(int count)
    {
        while (true)
        {
            var first = FreePort();
            if (first + count > 32768) continue;
            var rest = Enumerable.Range(first + 1, count - 1).ToList();
            lock (Given)
            {
                if (rest.Any(Given.Contains) || !rest.All(IsFree)) continue;
                foreach (var port in rest) Given.Add(port);
            }
            return first;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts a server on freshly chosen ports; when it exits because one of them was taken meanwhile (EADDRINUSE),
    /// chooses new ones and starts it again, up to five times.
    /// </summary>
    public static async Task StartWithRetryAsync(Action choosePorts, Func<Task> start, Func<Task> cleanUp)
    {
        for (var attempt = 1; ; attempt++)
        {
            choosePorts();
            try
            {
                await start();
                return;
            }
            catch (ProcessExitedException) when (attempt < 5)
            {
                await cleanUp();
            }
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Alerts.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Alerts.sln not found above " + AppContext.BaseDirectory);
    }
}
