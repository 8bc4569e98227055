using System.Security.Cryptography;

namespace Alerts.Grains;

/// <summary>Ids nobody can guess: a prefix and 20 random base-32 characters (100 bits).</summary>
internal static class RandomIds
{
    public static string New(string prefix)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        Span<char> chars = stackalloc char[20];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return prefix + new string(chars);
    }
}
