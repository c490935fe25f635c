using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>
/// Conditional writes on the task item that make each webhook go out once per task event, whatever the number of
/// copies of the message that asked for it: the first message to claim a slot owns its delivery until it is delivered
/// or given up; an attempt in flight holds a short lease so a redelivered copy of the same message waits.
/// </summary>
public sealed class WebhookDeliveryTable(IAmazonDynamoDB dynamoDb, string tableName)
{
    public async Task<WebhookClaim> ClaimAsync(
        string id, WebhookSlot slot, string eventName, string messageId, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = TaskItemMapper.Key(id),
                UpdateExpression = "SET #event = :event, #claim = :message, #lease = :until",
                ConditionExpression = "attribute_exists(#id) AND attribute_not_exists(#delivered) AND attribute_not_exists(#gaveUp)"
                                      + " AND (attribute_not_exists(#claim) OR #claim = :message) AND (attribute_not_exists(#lease) OR #lease < :now)",
                ExpressionAttributeNames = new Dictionary<string, string>
                {
                    ["#id"] = TaskAttributes.Id,
                    ["#event"] = slot.Event,
                    ["#claim"] = slot.Claim,
                    ["#lease"] = slot.LeaseUntil,
                    ["#delivered"] = slot.DeliveredAt,
                    ["#gaveUp"] = slot.GaveUpAt,
                },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":event"] = TaskItemMapper.S(eventName),
                    [":message"] = TaskItemMapper.S(messageId),
                    [":until"] = TaskItemMapper.N((now + lease).ToUnixTimeMilliseconds()),
                    [":now"] = TaskItemMapper.N(now.ToUnixTimeMilliseconds()),
                },
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken);
            return new WebhookClaim(WebhookClaimResult.Claimed, Number(response.Attributes, slot.Attempts));
        }
        catch (ConditionalCheckFailedException)
        {
            var item = (await dynamoDb.GetItemAsync(new GetItemRequest { TableName = tableName, Key = TaskItemMapper.Key(id), ConsistentRead = true }, cancellationToken)).Item;
            if (item is null || item.Count == 0)
            {
                return new WebhookClaim(WebhookClaimResult.Missing, 0);
            }
            var attempts = Number(item, slot.Attempts);
            var settled = item.ContainsKey(slot.DeliveredAt) || item.ContainsKey(slot.GaveUpAt)
                          || (item.TryGetValue(slot.Claim, out var claim) && claim.S != messageId);
            return new WebhookClaim(settled ? WebhookClaimResult.Settled : WebhookClaimResult.InFlight, attempts);
        }
    }

    /// <summary>Records a successful attempt; false when this message no longer owns the slot.</summary>
    public Task<bool> RecordDeliveredAsync(string id, WebhookSlot slot, string messageId, DateTimeOffset at, CancellationToken cancellationToken) =>
        RecordAsync(id, slot, messageId, $"SET #delivered = :at, #attempts = if_not_exists(#attempts, :zero) + :one REMOVE #lease, #error",
            new Dictionary<string, string> { ["#delivered"] = slot.DeliveredAt, ["#error"] = slot.LastError },
            new Dictionary<string, AttributeValue> { [":at"] = TaskItemMapper.S(TaskTimestamps.Format(at)) }, cancellationToken);

    /// <summary>Records a failed attempt and why; with <paramref name="giveUp"/>, no further attempt will be made.</summary>
    public Task<bool> RecordFailedAsync(
        string id, WebhookSlot slot, string messageId, string error, bool giveUp, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string> { ["#error"] = slot.LastError };
        var values = new Dictionary<string, AttributeValue> { [":error"] = TaskItemMapper.S(error) };
        var set = "SET #error = :error, #attempts = if_not_exists(#attempts, :zero) + :one";
        if (giveUp)
        {
            set += ", #gaveUp = :at";
            names["#gaveUp"] = slot.GaveUpAt;
            values[":at"] = TaskItemMapper.S(TaskTimestamps.Format(at));
        }
        return RecordAsync(id, slot, messageId, set + " REMOVE #lease", names, values, cancellationToken);
    }

    private Task<bool> RecordAsync(
        string id, WebhookSlot slot, string messageId, string expression, Dictionary<string, string> names, Dictionary<string, AttributeValue> values,
        CancellationToken cancellationToken)
    {
        names["#claim"] = slot.Claim;
        names["#lease"] = slot.LeaseUntil;
        names["#attempts"] = slot.Attempts;
        values[":message"] = TaskItemMapper.S(messageId);
        values[":zero"] = TaskItemMapper.N(0);
        values[":one"] = TaskItemMapper.N(1);
        return ConditionalUpdate.TryAsync(dynamoDb, new UpdateItemRequest
        {
            TableName = tableName,
            Key = TaskItemMapper.Key(id),
            UpdateExpression = expression,
            ConditionExpression = "#claim = :message",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        }, cancellationToken);
    }

    private static int Number(Dictionary<string, AttributeValue>? item, string name) =>
        item is not null && item.TryGetValue(name, out var value) && value.N is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 0;
}
