using SdServerless.Aws;
using SdServerless.Functions.Tasks.Views;

namespace SdServerless.Functions.Console;

/// <summary>
/// The console's Content-Security-Policy: its own scripts and styles only, API calls to its own origin, and images
/// from itself, from <c>data:</c>/<c>blob:</c> (init image previews) and from the origin that presigned output URLs
/// point at (S3, or the local emulator), found by presigning a URL the way task views do; the console also PUTs
/// uploads to that origin (the input bucket is the output bucket unless <c>Api:InputBucket</c> names another).
/// </summary>
public sealed class ConsoleSecurityPolicy(TaskViewFactory views, ResourceNames resources)
{
    private readonly Lazy<string> _header = new(() => Build(ImageOrigin(views, resources.OutputBucket)));

    public string Header => _header.Value;

    public static string Build(string imageOrigin) => string.Join("; ",
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        $"img-src 'self' data: blob: {imageOrigin}",
        $"connect-src 'self' {imageOrigin}",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'");

    private static string ImageOrigin(TaskViewFactory views, string bucket) =>
        new Uri(views.Presign($"s3://{bucket}/console-origin-probe")).GetLeftPart(UriPartial.Authority);
}
