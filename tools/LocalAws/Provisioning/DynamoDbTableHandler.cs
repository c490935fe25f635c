using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.LocalAws.Templates;

namespace SdServerless.LocalAws.Provisioning;

/// <summary>AWS::DynamoDB::Table: keys, attribute definitions, global secondary indexes and TTL.</summary>
public sealed class DynamoDbTableHandler : IResourceHandler
{
    public string Type => "AWS::DynamoDB::Table";

    public LocalResource Identify(string logicalId, Dictionary<string, object?> properties, ProvisioningContext context)
    {
        var name = PropertyReader.NameOrDefault(properties, "TableName", logicalId, context);
        var arn = $"arn:{context.Stack.Partition}:dynamodb:{context.Stack.Region}:{context.Stack.AccountId}:table/{name}";
        return new LocalResource(logicalId, Type, name, new Dictionary<string, string> { ["Arn"] = arn }, Emulated: true);
    }

    public async Task<string> ProvisionAsync(LocalResource resource, Dictionary<string, object?> properties, ProvisioningContext context, CancellationToken cancellationToken)
    {
        var outcome = "unchanged";
        try
        {
            await context.DynamoDb.DescribeTableAsync(resource.Ref, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            await context.DynamoDb.CreateTableAsync(CreateRequest(resource, properties), cancellationToken);
            outcome = "created";
        }
        await WaitUntilActiveAsync(resource.Ref, context.DynamoDb, cancellationToken);

        if (properties.GetValueOrDefault("TimeToLiveSpecification") is Dictionary<string, object?> ttl
            && PropertyReader.String(ttl, "Enabled", resource.LogicalId) == "true")
        {
            var attribute = PropertyReader.Required(ttl, "AttributeName", resource.LogicalId);
            try
            {
                var current = await context.DynamoDb.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = resource.Ref }, cancellationToken);
                if (current.TimeToLiveDescription?.AttributeName != attribute || current.TimeToLiveDescription.TimeToLiveStatus != TimeToLiveStatus.ENABLED)
                {
                    await context.DynamoDb.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
                    {
                        TableName = resource.Ref,
                        TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = attribute, Enabled = true },
                    }, cancellationToken);
                    outcome = outcome == "created" ? outcome : "updated";
                }
            }
            catch (AmazonDynamoDBException ex) when (ex.ErrorCode == "UnknownOperationException")
            {
                // dynalite answers DescribeTimeToLive but has no UpdateTimeToLive: locally, items never expire.
            }
        }
        return outcome;
    }

    private static CreateTableRequest CreateRequest(LocalResource resource, Dictionary<string, object?> properties)
    {
        var id = resource.LogicalId;
        var request = new CreateTableRequest
        {
            TableName = resource.Ref,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = Items(properties, "AttributeDefinitions", id)
                .Select(a => new AttributeDefinition(PropertyReader.Required(a, "AttributeName", id), new ScalarAttributeType(PropertyReader.Required(a, "AttributeType", id))))
                .ToList(),
            KeySchema = KeySchema(properties, id),
        };
        var indexes = Items(properties, "GlobalSecondaryIndexes", id, required: false)
            .Select(index => new GlobalSecondaryIndex
            {
                IndexName = PropertyReader.Required(index, "IndexName", id),
                KeySchema = KeySchema(index, id),
                Projection = new Projection
                {
                    ProjectionType = new ProjectionType(
                        PropertyReader.String(index.GetValueOrDefault("Projection") as Dictionary<string, object?> ?? [], "ProjectionType", id) ?? "ALL"),
                },
            })
            .ToList();
        if (indexes.Count > 0)
        {
            request.GlobalSecondaryIndexes = indexes;
        }
        return request;
    }

    private static List<KeySchemaElement> KeySchema(Dictionary<string, object?> properties, string id) =>
        Items(properties, "KeySchema", id)
            .Select(k => new KeySchemaElement(PropertyReader.Required(k, "AttributeName", id), new KeyType(PropertyReader.Required(k, "KeyType", id))))
            .ToList();

    private static IEnumerable<Dictionary<string, object?>> Items(Dictionary<string, object?> properties, string name, string id, bool required = true) =>
        properties.GetValueOrDefault(name) switch
        {
            List<object?> list => list.Select(item => item as Dictionary<string, object?>
                ?? throw new TemplateException($"Resource '{id}': every entry of {name} must be a mapping.")),
            null when !required => [],
            _ => throw new TemplateException($"Resource '{id}': property {name} must be a list."),
        };

    private static async Task WaitUntilActiveAsync(string table, IAmazonDynamoDB dynamoDb, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var description = await dynamoDb.DescribeTableAsync(table, cancellationToken);
            if (description.Table.TableStatus == TableStatus.ACTIVE)
            {
                return;
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"Table '{table}' did not become ACTIVE.");
    }
}
