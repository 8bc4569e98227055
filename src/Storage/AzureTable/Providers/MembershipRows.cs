using System.Globalization;
using System.Net;
using Alerts.Storage.AzureTable;

namespace Alerts.Storage.AzureTable.Providers;

/// <summary>How a <see cref="MembershipEntry"/> is laid out as a table row: readable columns, one per field.</summary>
internal static class MembershipRows
{
    public const string VersionRow = "VERSION";

    public static string Row(SiloAddress silo) => TableKeys.Escape(silo.ToParsableString());

    public static TableEntity Version(string partition, int version) => new(partition, VersionRow) { ["Version"] = version };

    public static TableEntity Silo(string partition, MembershipEntry entry) => new(partition, Row(entry.SiloAddress))
    {
        ["SiloAddress"] = entry.SiloAddress.ToParsableString(),
        ["Address"] = entry.SiloAddress.Endpoint.Address.ToString(),
        ["Port"] = entry.SiloAddress.Endpoint.Port,
        ["Generation"] = entry.SiloAddress.Generation,
        ["Status"] = entry.Status.ToString(),
        ["ProxyPort"] = entry.ProxyPort,
        ["HostName"] = entry.HostName,
        ["SiloName"] = entry.SiloName,
        ["RoleName"] = entry.RoleName,
        ["UpdateZone"] = entry.UpdateZone,
        ["FaultZone"] = entry.FaultZone,
        ["StartTime"] = DateTime.SpecifyKind(entry.StartTime, DateTimeKind.Utc),
        ["IAmAliveTime"] = DateTime.SpecifyKind(entry.IAmAliveTime, DateTimeKind.Utc),
        // "silo,ticks|silo,ticks": who suspects this silo, and since when.
        ["SuspectTimes"] = string.Join('|', (entry.SuspectTimes ?? []).Select(s =>
            $"{s.Item1.ToParsableString()},{s.Item2.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture)}")),
    };

    public static MembershipEntry ToEntry(TableEntity row)
    {
        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.FromParsableString(row.GetString("SiloAddress")),
            Status = Enum.Parse<SiloStatus>(row.GetString("Status")),
            ProxyPort = row.GetInt32("ProxyPort") ?? 0,
            HostName = row.GetString("HostName"),
            SiloName = row.GetString("SiloName"),
            RoleName = row.GetString("RoleName"),
            UpdateZone = row.GetInt32("UpdateZone") ?? 0,
            FaultZone = row.GetInt32("FaultZone") ?? 0,
            StartTime = row.GetDateTime("StartTime") ?? default,
            IAmAliveTime = row.GetDateTime("IAmAliveTime") ?? default,
            SuspectTimes = [],
        };
        var suspects = row.GetString("SuspectTimes");
        if (!string.IsNullOrEmpty(suspects))
        {
            foreach (var pair in suspects.Split('|'))
            {
                var comma = pair.LastIndexOf(',');
                entry.SuspectTimes.Add(Tuple.Create(
                    SiloAddress.FromParsableString(pair[..comma]),
                    new DateTime(long.Parse(pair[(comma + 1)..], CultureInfo.InvariantCulture), DateTimeKind.Utc)));
            }
        }
        return entry;
    }

    /// <summary>The client gateway endpoint of an active silo row, or null.</summary>
    public static Uri? Gateway(TableEntity row)
    {
        if (row.RowKey == VersionRow || row.GetString("Status") != nameof(SiloStatus.Active)) return null;
        var proxyPort = row.GetInt32("ProxyPort") ?? 0;
        if (proxyPort <= 0) return null;
        var endpoint = new IPEndPoint(IPAddress.Parse(row.GetString("Address")), proxyPort);
        return SiloAddress.New(endpoint, row.GetInt32("Generation") ?? 0).ToGatewayUri();
    }
}
