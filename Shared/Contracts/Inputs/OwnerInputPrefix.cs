using System.Security.Cryptography;
using System.Text;

namespace SdServerless.Contracts.Inputs;

/// <summary>
/// Where one caller's inputs lie in the input bucket: <c>inputs/&lt;owner-id-hash&gt;/</c>. The owner id is hashed
/// (SHA-256, 32 hex digits) so that a key name never shows in an object key and every owner's folder has one shape;
/// uploads go to <c>inputs/&lt;owner-id-hash&gt;/uploads/&lt;upload-id&gt;</c>. <c>s3://</c> inputs are accepted only
/// under the caller's own prefix.
/// </summary>
public static class OwnerInputPrefix
{
    public const string DefaultRoot = "inputs";

    public const string UploadsFolder = "uploads";

    /// <summary><c>&lt;root&gt;/&lt;owner-id-hash&gt;/</c>, ending in a slash.</summary>
    public static string For(string owner, string root = DefaultRoot) => $"{root.Trim('/')}/{OwnerHash(owner)}/";

    /// <summary>The key of upload <paramref name="uploadId"/> of <paramref name="owner"/>.</summary>
    public static string UploadKey(string owner, string uploadId, string root = DefaultRoot) => $"{For(owner, root)}{UploadsFolder}/{uploadId}";

    public static string OwnerHash(string owner) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(owner)))[..32];
}
