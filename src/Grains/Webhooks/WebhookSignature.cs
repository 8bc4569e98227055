using System.Security.Cryptography;
using System.Text;

namespace Alerts.Grains.Webhooks;

/// <summary>
/// The Standard Webhooks signature (SPEC §6.1): <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>
/// with the secret's bytes as the key. Secrets are <c>whsec_</c> + base64 of random bytes. Each attempt is signed afresh
/// with its own timestamp; the message id stays the same across retries (the receiver's idempotency key).
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: <c>whsec_</c> + base64 of 32 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key bytes of a secret; null when it is not <c>whsec_</c> + base64 of 24 to 64 bytes.</summary>
    public static byte[]? Key(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) return null;
        var base64 = secret[SecretPrefix.Length..];
        var key = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, key, out var length) && length is >= 24 and <= 64 ? key[..length] : null;
    }

    /// <summary>The <c>webhook-signature</c> header value for one attempt.</summary>
    public static string Sign(string secret, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var key = Key(secret) ?? throw new ArgumentException("the secret is not whsec_ + base64 of 24 to 64 bytes", nameof(secret));
        var prefix = Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{messageId}.{timestamp}."));
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
