namespace SdServerless.Aws.Sns;

/// <summary>Where and how the <see cref="SnsClient"/> talks to SNS.</summary>
public sealed record SnsClientOptions
{
    public required string Region { get; init; }

    /// <summary>An endpoint other than AWS's, for example an emulator's; null means <c>https://sns.{region}.amazonaws.com/</c>.</summary>
    public Uri? ServiceUrl { get; init; }

    public int MaxAttempts { get; init; } = 4;

    public TimeSpan BaseRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);
}
