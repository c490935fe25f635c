namespace SdServerless.Functions.Uploads;

/// <summary>The <c>Uploads</c> configuration section: what <c>POST /v1/uploads</c> hands out.</summary>
public sealed class UploadsOptions
{
    public const string SectionName = "Uploads";

    /// <summary>The largest upload accepted, in bytes (a runtime's <c>maxInputBytes</c> may be lower; it is checked at submit).</summary>
    public long MaxBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>How long an upload URL stays valid.</summary>
    public TimeSpan UrlExpiry { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The content types an upload may have: the image formats every runtime type reads.</summary>
    public List<string> ContentTypes { get; set; } = ["image/png", "image/jpeg"];

    /// <summary>Days an upload is kept before the bucket's lifecycle rule deletes it (serverless.template, <c>UploadExpiryDays</c>); shown to callers only.</summary>
    public int RetentionDays { get; set; } = 1;
}
