using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Quotas;

/// <summary>
/// A key's quota items in the tasks table (no owner or sort key attributes, so they stay out of the by-owner index),
/// changed only by conditional UpdateItems, which DynamoDB applies one at a time per item: <c>quota#{owner}#in-flight</c>
/// holds the slots of the key's tasks in flight as a string set, <c>quota#{owner}#day#{yyyy-MM-dd}</c> counts the tasks
/// submitted that UTC day. A slot is taken only while the set holds fewer than the limit, and a count is raised only
/// while it is below the limit, so concurrent submits can never pass together (docs/decisions/0349).
/// </summary>
public sealed class QuotaCounters(IAmazonDynamoDB dynamoDb, string tableName)
{
    private const string SlotsAttribute = "slots";
    private const string CountAttribute = "n";

    /// <summary>Adds <paramref name="slot"/> to the key's in-flight set unless it holds <paramref name="limit"/> slots already; false when full.</summary>
    public Task<bool> TryTakeSlotAsync(string owner, string slot, int limit, CancellationToken cancellationToken) =>
        limit <= 0
            ? Task.FromResult(false)
            : ConditionalUpdate.TryAsync(dynamoDb, new UpdateItemRequest
            {
                TableName = tableName,
                Key = TaskItemMapper.Key(InFlightId(owner)),
                UpdateExpression = "ADD #slots :slot",
                ConditionExpression = "attribute_not_exists(#slots) OR size(#slots) < :limit",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#slots"] = SlotsAttribute },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":slot"] = new() { SS = [slot] },
                    [":limit"] = TaskItemMapper.N(limit),
                },
            }, cancellationToken);

    /// <summary>
    /// Removes the slots from the key's in-flight set. Removing a slot the set no longer holds changes nothing, so a
    /// release may be repeated by every delivery of a task's end and by the cancel that raced it.
    /// </summary>
    public Task ReleaseSlotsAsync(string owner, IReadOnlyList<string> slots, CancellationToken cancellationToken) =>
        slots.Count == 0
            ? Task.CompletedTask
            : ConditionalUpdate.TryAsync(dynamoDb, new UpdateItemRequest
            {
                TableName = tableName,
                Key = TaskItemMapper.Key(InFlightId(owner)),
                UpdateExpression = "DELETE #slots :slots",
                // Never creates the item: a key whose set is gone has nothing to release.
                ConditionExpression = "attribute_exists(#id)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#slots"] = SlotsAttribute, ["#id"] = TaskAttributes.Id },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":slots"] = new() { SS = [.. slots] } },
            }, cancellationToken);

    /// <summary>The slots the key holds now (a consistent read).</summary>
    public async Task<IReadOnlyList<string>> ReadSlotsAsync(string owner, CancellationToken cancellationToken)
    {
        var item = await ReadAsync(InFlightId(owner), cancellationToken);
        return item is not null && item.TryGetValue(SlotsAttribute, out var slots) && slots.SS is { } set ? set : [];
    }

    /// <summary>Counts one more task on <paramref name="day"/> unless <paramref name="limit"/> are counted already; false when reached.</summary>
    public Task<bool> TryCountDayAsync(string owner, DateOnly day, int limit, CancellationToken cancellationToken) =>
        limit <= 0
            ? Task.FromResult(false)
            : ConditionalUpdate.TryAsync(dynamoDb, new UpdateItemRequest
            {
                TableName = tableName,
                Key = TaskItemMapper.Key(DayId(owner, day)),
                UpdateExpression = "ADD #n :one SET #expires = :expires",
                ConditionExpression = "attribute_not_exists(#n) OR #n < :limit",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#n"] = CountAttribute, ["#expires"] = TaskAttributes.ExpiresAt },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":one"] = TaskItemMapper.N(1),
                    [":limit"] = TaskItemMapper.N(limit),
                    // The table's TTL removes a day's count the day after.
                    [":expires"] = TaskItemMapper.N(new DateTimeOffset(day.AddDays(2), TimeOnly.MinValue, TimeSpan.Zero).ToUnixTimeSeconds()),
                },
            }, cancellationToken);

    /// <summary>Takes back a count of <see cref="TryCountDayAsync"/> whose task was not written.</summary>
    public Task UncountDayAsync(string owner, DateOnly day, CancellationToken cancellationToken) =>
        ConditionalUpdate.TryAsync(dynamoDb, new UpdateItemRequest
        {
            TableName = tableName,
            Key = TaskItemMapper.Key(DayId(owner, day)),
            UpdateExpression = "ADD #n :minus",
            ConditionExpression = "#n > :zero",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#n"] = CountAttribute },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":minus"] = TaskItemMapper.N(-1), [":zero"] = TaskItemMapper.N(0) },
        }, cancellationToken);

    /// <summary>How many tasks are counted on <paramref name="day"/> (a consistent read).</summary>
    public async Task<int> ReadDayAsync(string owner, DateOnly day, CancellationToken cancellationToken)
    {
        var item = await ReadAsync(DayId(owner, day), cancellationToken);
        return item is not null && item.TryGetValue(CountAttribute, out var n) && n.N is { } count ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    public static string InFlightId(string owner) => $"quota#{owner}#in-flight";

    public static string DayId(string owner, DateOnly day) => $"quota#{owner}#day#{day:yyyy-MM-dd}";

    private async Task<Dictionary<string, AttributeValue>?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest { TableName = tableName, Key = TaskItemMapper.Key(id), ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }
}
