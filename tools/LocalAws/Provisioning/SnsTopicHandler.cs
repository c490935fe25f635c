namespace SdServerless.LocalAws.Provisioning;

/// <summary>AWS::SNS::Topic: Ref is the topic ARN.</summary>
public sealed class SnsTopicHandler : IResourceHandler
{
    public string Type => "AWS::SNS::Topic";

    public LocalResource Identify(string logicalId, Dictionary<string, object?> properties, ProvisioningContext context)
    {
        var name = PropertyReader.NameOrDefault(properties, "TopicName", logicalId, context);
        var arn = $"arn:{context.Stack.Partition}:sns:{context.Stack.Region}:{context.Stack.AccountId}:{name}";
        return new LocalResource(logicalId, Type, arn, new Dictionary<string, string> { ["TopicArn"] = arn, ["TopicName"] = name }, Emulated: true);
    }

    public async Task<string> ProvisionAsync(LocalResource resource, Dictionary<string, object?> properties, ProvisioningContext context, CancellationToken cancellationToken)
    {
        var existing = await TopicExistsAsync(resource.Ref, context, cancellationToken);
        var arn = await context.Sns.CreateTopicAsync(resource.Attributes["TopicName"], cancellationToken: cancellationToken);
        if (arn != resource.Ref)
        {
            throw new InvalidOperationException($"Resource '{resource.LogicalId}': the emulator named the topic '{arn}', expected '{resource.Ref}'.");
        }
        return existing ? "unchanged" : "created";
    }

    private static async Task<bool> TopicExistsAsync(string arn, ProvisioningContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.Sns.GetTopicAttributesAsync(arn, cancellationToken);
            return true;
        }
        catch (SdServerless.Aws.Sns.SnsException ex) when (ex.Code is "NotFound" or "NotFoundException")
        {
            return false;
        }
    }
}
