namespace SdServerless.Aws.Recording;

/// <summary>
/// One AWS call as IAM sees it: who made it (<see cref="Caller"/>, the deployable or one of its flows), the IAM action
/// (<c>s3:GetObject</c>), the resource ARN, and the request context keys a policy condition may test (<c>s3:prefix</c>).
/// </summary>
public sealed record AwsCall(string Caller, string Action, string Resource, IReadOnlyDictionary<string, string> Context)
{
    public override string ToString() =>
        Context.Count == 0 ? $"{Caller}: {Action} on {Resource}" : $"{Caller}: {Action} on {Resource} ({string.Join(", ", Context.Select(c => $"{c.Key}={c.Value}"))})";
}
