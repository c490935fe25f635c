using System.Security.Cryptography;

namespace SdServerless.Functions.Uploads;

/// <summary>Upload ids: 26 random lowercase base32 characters (130 bits), so an id cannot be guessed.</summary>
public static class UploadIds
{
    public const string RefScheme = "upload:";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    public const int Length = 26;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[bytes[i] & 31];
        }
        return new string(chars);
    }

    public static bool IsValid(string id) => id.Length == Length && id.All(c => Alphabet.Contains(c));

    public static bool IsRef(string image) => image.StartsWith(RefScheme, StringComparison.Ordinal);
}
