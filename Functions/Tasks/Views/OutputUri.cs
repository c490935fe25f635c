namespace SdServerless.Functions.Tasks.Views;

/// <summary>Splits an output's <c>s3://bucket/key</c> URI (as the worker reports it).</summary>
public static class OutputUri
{
    public static (string Bucket, string Key) Parse(string s3Uri)
    {
        var rest = s3Uri.StartsWith("s3://", StringComparison.Ordinal) ? s3Uri[5..] : s3Uri;
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            throw new FormatException($"'{s3Uri}' is not s3://<bucket>/<key>.");
        }
        return (rest[..slash], rest[(slash + 1)..]);
    }
}
