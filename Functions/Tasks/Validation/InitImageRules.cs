using System.Buffers.Text;
using SdServerless.Contracts.Inputs;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// What an <c>init_images</c> entry may be: a <c>data:image/...;base64,</c> URL or bare base64, an <c>s3://</c> URI in
/// the input bucket under the caller's own input prefix (<see cref="OwnerInputPrefix"/>, <c>inputs/&lt;owner-id-hash&gt;/</c>, where uploads lie: never another caller's inputs,
/// never anyone's outputs), or a URL that <see cref="OutboundUrlPolicy"/> accepts.
/// </summary>
public sealed class InitImageRules(string inputBucket, string inputPrefix, OutboundUrlPolicy urls)
{
    public const int MaxImages = 8;

    /// <summary>Null when <paramref name="image"/> is acceptable; otherwise why not.</summary>
    public string? Check(string image, string owner)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return "must not be empty.";
        }
        if (image.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return CheckDataUrl(image);
        }
        if (image.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            return CheckS3(image, owner);
        }
        if (image.Contains("://", StringComparison.Ordinal))
        {
            return urls.Check(image) is { } problem ? $"URL {problem}" : null;
        }
        return Base64.IsValid(image.AsSpan()) ? null : "is neither a data URL, base64, an s3:// URI nor an https:// URL.";
    }

    /// <summary>
    /// The form an accepted image is stored and sent in: a data URL's header (<c>data:image/PNG;BASE64,</c>) in lower
    /// case, because the runtimes behind the worker compare it exactly (AUTOMATIC1111 looks for <c>data:image/</c>);
    /// everything else unchanged.
    /// </summary>
    public static string Normalize(string image)
    {
        if (!image.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return image;
        }
        var comma = image.IndexOf(',');
        return comma < 0 ? image : string.Concat(image[..comma].ToLowerInvariant(), image.AsSpan(comma));
    }

    private static string? CheckDataUrl(string image)
    {
        var comma = image.IndexOf(',');
        if (comma < 0)
        {
            return "data URL has no ',' before its data.";
        }
        var header = image[5..comma];
        if (!header.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            return "data URL must be 'data:image/<type>;base64,...'.";
        }
        return comma + 1 < image.Length && Base64.IsValid(image.AsSpan(comma + 1)) ? null : "data URL does not hold valid base64.";
    }

    private string? CheckS3(string image, string owner)
    {
        if (image.Length > InputLimits.MaxUrlLength)
        {
            return $"s3:// URI is {image.Length} characters long; at most {InputLimits.MaxUrlLength} are allowed.";
        }
        var rest = image[5..];
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
        {
            return "s3:// URI must be s3://<bucket>/<key>.";
        }
        if (!string.Equals(rest[..slash], inputBucket, StringComparison.Ordinal))
        {
            return $"s3:// URIs must be in the input bucket '{inputBucket}'.";
        }
        var key = rest[(slash + 1)..];
        if (key.Split('/').Any(segment => segment is ".." or "."))
        {
            return "s3:// key must not contain '.' or '..' segments.";
        }
        var own = OwnerInputPrefix.For(owner, inputPrefix);
        return key.StartsWith(own, StringComparison.Ordinal) ? null : $"s3:// URIs must lie under this caller's input prefix '{own}'.";
    }
}
