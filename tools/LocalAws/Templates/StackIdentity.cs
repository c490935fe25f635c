namespace SdServerless.LocalAws.Templates;

/// <summary>The values of the pseudo parameters (<c>AWS::StackName</c>, <c>AWS::Region</c>, <c>AWS::AccountId</c>) a template is read with.</summary>
public sealed record StackIdentity(string StackName, string Region, string AccountId)
{
    /// <summary>What local runs use: the emulators' account and the default region.</summary>
    public static StackIdentity Local { get; } = new("sdserverless", "us-east-1", "000000000000");

    public string Partition => "aws";
}
