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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
