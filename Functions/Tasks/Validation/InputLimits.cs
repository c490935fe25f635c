namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// Upper bounds on everything a caller sends that reaches DynamoDB, S3 or SNS, so that nothing unbounded reaches a
/// store (DynamoDB keys are at most 2048 bytes, items 400 KB; SNS messages 256 KB). Documented in docs/task-api.md.
/// </summary>
public static class InputLimits
{
    public const int MaxPromptLength = 4_000;

    /// <summary><c>metadata</c> (v1) and <c>task.metadata.context</c> (v1alpha2), as JSON text.</summary>
    public const int MaxMetadataBytes = 8 * 1024;

    public const long MaxSeed = uint.MaxValue;

    /// <summary><c>seed_resize_from_h/w</c>: the largest size any runtime generates.</summary>
    public const int MaxSeedResize = 2_048;

    /// <summary><c>callback_url</c> and URL-form <c>init_images</c> entries (browsers and CDNs agree on 8 KB; 2 KB covers every sane URL).</summary>
    public const int MaxUrlLength = 2_048;

    /// <summary>A DNS label is at most 63 octets and a host name at most 253 (RFC 1035).</summary>
    public const int MaxHostLabelLength = 63;

    public const int MaxHostLength = 253;

    /// <summary>Cursors are handed out by the API; anything longer was not.</summary>
    public const int MaxCursorLength = 1_024;

    public const int MaxWebhookEvents = 8;
}
