namespace SdServerless.Aws.Sns;

/// <summary>A String or Number message attribute, the kinds filter policies match on.</summary>
public sealed record SnsMessageAttribute(string DataType, string StringValue)
{
    public static SnsMessageAttribute String(string value) => new("String", value);
}
