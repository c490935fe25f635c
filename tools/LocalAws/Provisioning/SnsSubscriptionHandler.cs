namespace SdServerless.LocalAws.Provisioning;

/// <summary>AWS::SNS::Subscription: subscribes once (matched on topic, protocol and endpoint) and keeps its attributes current.</summary>
public sealed class SnsSubscriptionHandler : IResourceHandler
{
    private static readonly string[] JsonAttributes = ["FilterPolicy", "RedrivePolicy", "DeliveryPolicy"];
    private static readonly string[] PlainAttributes = ["RawMessageDelivery", "FilterPolicyScope"];

    public string Type => "AWS::SNS::Subscription";

    public LocalResource Identify(string logicalId, Dictionary<string, object?> properties, ProvisioningContext context)
    {
        var topic = PropertyReader.Required(properties, "TopicArn", logicalId);
        var endpoint = PropertyReader.Required(properties, "Endpoint", logicalId);
        // The real ARN is only known once subscribed; Ref to a subscription is rare, so the logical name stands in.
        return new LocalResource(logicalId, Type, $"{topic}:{logicalId}",
            new Dictionary<string, string> { ["TopicArn"] = topic, ["Endpoint"] = endpoint }, Emulated: true);
    }

    public async Task<string> ProvisionAsync(LocalResource resource, Dictionary<string, object?> properties, ProvisioningContext context, CancellationToken cancellationToken)
    {
        var topic = resource.Attributes["TopicArn"];
        var endpoint = resource.Attributes["Endpoint"];
        var protocol = PropertyReader.Required(properties, "Protocol", resource.LogicalId);
        var wanted = new Dictionary<string, string>();
        foreach (var name in JsonAttributes)
        {
            if (properties.GetValueOrDefault(name) is { } value)
            {
                wanted[name] = PropertyReader.Json(value);
            }
        }
        foreach (var name in PlainAttributes)
        {
            if (PropertyReader.String(properties, name, resource.LogicalId) is { } value)
            {
                wanted[name] = value;
            }
        }

        var existing = (await context.Sns.ListSubscriptionsByTopicAsync(topic, cancellationToken))
            .FirstOrDefault(s => s.Protocol == protocol && s.Endpoint == endpoint);
        if (existing is null)
        {
            await context.Sns.SubscribeAsync(topic, protocol, endpoint, wanted, cancellationToken);
            return "created";
        }

        var current = await context.Sns.GetSubscriptionAttributesAsync(existing.SubscriptionArn, cancellationToken);
        var changed = 0;
        foreach (var (name, value) in wanted)
        {
            if (!current.TryGetValue(name, out var now) || !Same(now, value))
            {
                await context.Sns.SetSubscriptionAttributesAsync(existing.SubscriptionArn, name, value, cancellationToken);
                changed++;
            }
        }
        return changed == 0 ? "unchanged" : "updated";
    }

    private static bool Same(string current, string wanted)
    {
        if (current == wanted)
        {
            return true;
        }
        try
        {
            return System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(current), System.Text.Json.Nodes.JsonNode.Parse(wanted));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
