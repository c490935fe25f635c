using Amazon.SQS;
using Amazon.SQS.Model;

namespace SdServerless.LocalAws.Provisioning;

/// <summary>AWS::SQS::Queue: Ref is the queue URL; attributes Arn, QueueName, QueueUrl.</summary>
public sealed class SqsQueueHandler : IResourceHandler
{
    private static readonly string[] PlainAttributes =
        ["VisibilityTimeout", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds", "DelaySeconds", "MaximumMessageSize"];

    public string Type => "AWS::SQS::Queue";

    public LocalResource Identify(string logicalId, Dictionary<string, object?> properties, ProvisioningContext context)
    {
        var name = PropertyReader.NameOrDefault(properties, "QueueName", logicalId, context);
        var endpoint = context.Connection.SqsEndpoint?.ToString().TrimEnd('/') ?? $"https://sqs.{context.Stack.Region}.amazonaws.com";
        var url = $"{endpoint}/{context.Stack.AccountId}/{name}";
        var arn = $"arn:{context.Stack.Partition}:sqs:{context.Stack.Region}:{context.Stack.AccountId}:{name}";
        return new LocalResource(logicalId, Type, url,
            new Dictionary<string, string> { ["Arn"] = arn, ["QueueName"] = name, ["QueueUrl"] = url }, Emulated: true);
    }

    public async Task<string> ProvisionAsync(LocalResource resource, Dictionary<string, object?> properties, ProvisioningContext context, CancellationToken cancellationToken)
    {
        var wanted = Attributes(resource.LogicalId, properties);
        string? url = null;
        try
        {
            url = (await context.Sqs.GetQueueUrlAsync(resource.Attributes["QueueName"], cancellationToken)).QueueUrl;
        }
        catch (QueueDoesNotExistException)
        {
            // Created below.
        }

        if (url is null)
        {
            await context.Sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = resource.Attributes["QueueName"], Attributes = wanted }, cancellationToken);
            return "created";
        }

        var current = (await context.Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["All"] }, cancellationToken)).Attributes;
        var changed = wanted.Where(pair => !current.TryGetValue(pair.Key, out var value) || !SameValue(pair.Key, value, pair.Value))
            .ToDictionary(pair => pair.Key, pair => pair.Value);
        if (changed.Count == 0)
        {
            return "unchanged";
        }
        await context.Sqs.SetQueueAttributesAsync(new SetQueueAttributesRequest { QueueUrl = url, Attributes = changed }, cancellationToken);
        return "updated";
    }

    private static Dictionary<string, string> Attributes(string logicalId, Dictionary<string, object?> properties)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var name in PlainAttributes)
        {
            if (PropertyReader.String(properties, name, logicalId) is { } value)
            {
                attributes[name] = value;
            }
        }
        if (properties.GetValueOrDefault("RedrivePolicy") is { } redrive)
        {
            attributes["RedrivePolicy"] = PropertyReader.Json(redrive);
        }
        if (PropertyReader.String(properties, "FifoQueue", logicalId) == "true")
        {
            attributes["FifoQueue"] = "true";
        }
        return attributes;
    }

    private static bool SameValue(string name, string current, string wanted) =>
        current == wanted
        || (name == "RedrivePolicy"
            && System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(current), System.Text.Json.Nodes.JsonNode.Parse(wanted)));
}
