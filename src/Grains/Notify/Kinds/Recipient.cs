namespace Alerts.Grains.Notify;

/// <summary>
/// Who a notification goes to: a channel and an address on it (an e-mail address, a chat webhook URL). The outbox and
/// the notification log keep it as its <see cref="Key"/>: an e-mail address as itself, which is what they always held,
/// and any other channel as <c>{channel} {address}</c>. An e-mail address never holds whitespace, so the forms never meet.
/// </summary>
public readonly record struct Recipient(string Channel, string Address)
{
    public const string EmailChannel = "email";

    public static Recipient Email(string address) => new(EmailChannel, address);

    public string Key => Channel == EmailChannel ? Address : $"{Channel} {Address}";

    public static Recipient Parse(string key)
    {
        var space = key.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? new Recipient(key[..space], key[(space + 1)..]) : Email(key);
    }

    public override string ToString() => Key;
}
