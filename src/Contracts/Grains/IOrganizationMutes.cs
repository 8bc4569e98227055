namespace Alerts.Contracts;

/// <summary>
/// An organization's mute windows (issue 22, item 2), served by the organization grain. While a mute is in force its
/// scope's threshold alerts are not sent (errors are still counted) and its connections' notices are held; when it ends,
/// anything still over its limit, or a connection in a state other than the last one told, is told once.
/// <c>by</c> is the user of the organization who made the change (the audit trail names them).
/// </summary>
public interface IOrganizationMutes : IGrainWithStringKey
{
    /// <summary>Every mute kept (those not over, and the latest 20 that are), newest first; null without the organization.</summary>
    Task<IReadOnlyList<MuteView>?> ListMutesAsync();

    Task<MuteView?> GetMuteAsync(string muteId);

    /// <summary>Creates a mute; an invalid spec or an unknown user is an <see cref="ArgumentException"/> naming the field.</summary>
    Task<MuteView?> CreateMuteAsync(MuteSpec spec, string by);

    /// <summary>Moves a mute's times or changes its reason; null when there is no such mute.</summary>
    Task<MuteView?> UpdateMuteAsync(string muteId, MutePatch patch, string by);

    /// <summary>Ends a mute now (what it held is told at once if it still matters); null when there is no such mute.</summary>
    Task<MuteView?> EndMuteAsync(string muteId, string by);
}
