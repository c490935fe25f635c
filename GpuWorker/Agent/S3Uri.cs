namespace SdServerless.GpuWorker.Agent;

/// <summary>An <c>s3://bucket/key</c> location.</summary>
public sealed record S3Uri(string Bucket, string Key)
{
    public static bool TryParse(string? value, out S3Uri uri)
    {
        uri = new S3Uri("", "");
        if (value is null || !value.StartsWith("s3://", StringComparison.Ordinal))
        {
            return false;
        }
        var rest = value["s3://".Length..];
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }
        uri = new S3Uri(rest[..slash], rest[(slash + 1)..]);
        return true;
    }

    public override string ToString() => $"s3://{Bucket}/{Key}";
}
