using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.IO.Hashing;
using System.Text;
using Alerts.Contracts;

namespace Alerts.Grains.Intake;

/// <summary>
/// The journal's encoding of a commit's reports: compact binary with UTF-8 text, integration ids written once per
/// commit. Every report carries its occurrence time (already resolved: a future time became the commit's time), so
/// replaying a commit gives exactly what applying it gave.
/// <code>
/// byte format (1) · varint n · n × string integration id · varint m · m × report
/// report: varint integration index · byte flags (error, which optional fields follow, retrying) · string event id · int64 occurred ticks (UTC)
///         · [varint status] · [string message] · [string flow] · [string service] · [string trace key]
/// </code>
/// </summary>
public static class ReportCodec
{
    private const byte Format = 1;

    [Flags]
    private enum Fields : byte
    {
        None = 0,
        Error = 1,
        Status = 2,
        Message = 4,
        Flow = 8,
        Service = 16,
        TraceKey = 32,
        Retrying = 64,
    }

    /// <summary>The 64-bit key that identifies an event of an integration for de-duplication.</summary>
    public static ulong Key(string integrationId, string eventId)
    {
        // The UTF-16 text as it is in memory, no transcoding: "{integration}\n{event id}".
        var length = integrationId.Length + 1 + eventId.Length;
        Span<char> buffer = stackalloc char[512];
        var text = length <= buffer.Length ? buffer[..length] : new char[length];
        integrationId.CopyTo(text);
        text[integrationId.Length] = '\n';
        eventId.CopyTo(text[(integrationId.Length + 1)..]);
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text));
    }

    /// <summary>Roughly how many bytes a report takes encoded (for sizing commits; never less than the truth by much).</summary>
    public static int EstimateBytes(Report report)
    {
        var attempt = report.Attempt;
        return 24 + 3 * (attempt.EventId.Length + (attempt.Message?.Length ?? 0) + (attempt.Flow?.Length ?? 0)
                         + (attempt.Service?.Length ?? 0) + (attempt.TraceKey?.Length ?? 0));
    }

    public static (byte[] Payload, byte[] Keys) Encode(IReadOnlyList<Report> reports)
    {
        var integrations = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var report in reports) integrations.TryAdd(report.IntegrationId, integrations.Count);

        using var stream = new MemoryStream(64 + reports.Count * 64);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Format);
        writer.Write7BitEncodedInt(integrations.Count);
        foreach (var id in integrations.Keys) writer.Write(id);
        writer.Write7BitEncodedInt(reports.Count);
        var keys = new byte[reports.Count * sizeof(ulong)];
        for (var i = 0; i < reports.Count; i++)
        {
            var (integrationId, attempt) = (reports[i].IntegrationId, reports[i].Attempt);
            var fields = (attempt.Outcome == AttemptOutcome.Error ? Fields.Error : Fields.None)
                         | (attempt.StatusCode is null ? Fields.None : Fields.Status)
                         | (attempt.Message is null ? Fields.None : Fields.Message)
                         | (attempt.Flow is null ? Fields.None : Fields.Flow)
                         | (attempt.Service is null ? Fields.None : Fields.Service)
                         | (attempt.TraceKey is null ? Fields.None : Fields.TraceKey)
                         | (attempt.Retrying ? Fields.Retrying : Fields.None);
            writer.Write7BitEncodedInt(integrations[integrationId]);
            writer.Write((byte)fields);
            writer.Write(attempt.EventId);
            writer.Write((attempt.OccurredAt ?? throw new ArgumentException("reports are journaled with their time", nameof(reports))).UtcTicks);
            if (attempt.StatusCode is { } status) writer.Write7BitEncodedInt(status);
            if (attempt.Message is { } message) writer.Write(message);
            if (attempt.Flow is { } flow) writer.Write(flow);
            if (attempt.Service is { } service) writer.Write(service);
            if (attempt.TraceKey is { } traceKey) writer.Write(traceKey);
            BinaryPrimitives.WriteUInt64LittleEndian(keys.AsSpan(i * sizeof(ulong)), Key(integrationId, attempt.EventId));
        }
        writer.Flush();
        return (stream.ToArray(), keys);
    }

    public static List<Report> Decode(ReadOnlyMemory<byte> payload)
    {
        using var stream = new MemoryStream(payload.ToArray(), writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var format = reader.ReadByte();
        if (format != Format) throw new InvalidDataException($"journal commit format {format} is not known");
        var integrations = new string[reader.Read7BitEncodedInt()];
        for (var i = 0; i < integrations.Length; i++) integrations[i] = reader.ReadString();
        var count = reader.Read7BitEncodedInt();
        var reports = new List<Report>(count);
        for (var i = 0; i < count; i++)
        {
            var integrationId = integrations[reader.Read7BitEncodedInt()];
            var fields = (Fields)reader.ReadByte();
            var eventId = reader.ReadString();
            var occurredAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            int? status = fields.HasFlag(Fields.Status) ? reader.Read7BitEncodedInt() : null;
            var message = fields.HasFlag(Fields.Message) ? reader.ReadString() : null;
            var flow = fields.HasFlag(Fields.Flow) ? reader.ReadString() : null;
            var service = fields.HasFlag(Fields.Service) ? reader.ReadString() : null;
            var traceKey = fields.HasFlag(Fields.TraceKey) ? reader.ReadString() : null;
            var outcome = fields.HasFlag(Fields.Error) ? AttemptOutcome.Error : AttemptOutcome.Success;
            reports.Add(new Report(integrationId, new Attempt(eventId, outcome, occurredAt, status, message, flow, service, traceKey, fields.HasFlag(Fields.Retrying))));
        }
        return reports;
    }

    /// <summary>The keys of a commit, as written by <see cref="Encode"/>.</summary>
    public static IEnumerable<ulong> Keys(ReadOnlyMemory<byte> keys)
    {
        for (var offset = 0; offset + sizeof(ulong) <= keys.Length; offset += sizeof(ulong))
            yield return BinaryPrimitives.ReadUInt64LittleEndian(keys.Span[offset..]);
    }
}
