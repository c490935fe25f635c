namespace SdServerless.Functions.Tasks.Api;

/// <summary>The <c>Idempotency-Key</c> header: 1 to 255 visible ASCII characters.</summary>
public static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static bool IsValid(string key) => key.Length is > 0 and <= 255 && key.All(c => c is > ' ' and <= '~');
}
