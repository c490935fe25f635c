using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Quotas;

/// <summary>
/// Frees in-flight slots that no release will free, read when a key's set is full: a slot whose task ended (its
/// release did not arrive yet); one whose task was never written (the submit stopped between the two writes) or holds
/// another slot, once older than <see cref="QuotaOptions.UnwrittenAfter"/> (younger, its task may be being written);
/// and one taken longer ago than <see cref="QuotaOptions.InFlightWindow"/>, whose end was lost. A freed slot's task is
/// not in flight, so this never lets more tasks run than the limit.
/// </summary>
public sealed class StaleSlots(IAmazonDynamoDB dynamoDb, string tableName, QuotaCounters counters, QuotaOptions options)
{
    private const int BatchSize = 100;

    /// <summary>How many slots were freed.</summary>
    public async Task<int> ReleaseAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var slots = (await counters.ReadSlotsAsync(owner, cancellationToken)).Select(value => (Value: value, Slot: QuotaSlot.TryRead(value))).ToList();
        if (slots.Count == 0)
        {
            return 0;
        }
        var (tasks, unread) = await ReadTasksAsync([.. slots.Where(s => s.Slot is not null).Select(s => s.Slot!.TaskId).Distinct(StringComparer.Ordinal)], cancellationToken);
        var stale = slots
            .Where(s => s.Slot is null || (!unread.Contains(s.Slot.TaskId) && IsStale(s.Value, s.Slot, tasks, now)))
            .Select(s => s.Value)
            .ToList();
        await counters.ReleaseSlotsAsync(owner, stale, cancellationToken);
        return stale.Count;
    }

    private bool IsStale(string value, QuotaSlot slot, Dictionary<string, (string Status, string? Slot)> tasks, DateTimeOffset now)
    {
        var age = now - slot.TakenAt;
        if (!tasks.TryGetValue(slot.TaskId, out var task) || task.Slot != value)
        {
            return age >= options.UnwrittenAfter;
        }
        return TaskStatuses.IsTerminal(task.Status) || age >= options.InFlightWindow;
    }

    private async Task<(Dictionary<string, (string Status, string? Slot)> Found, HashSet<string> Unread)> ReadTasksAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string Status, string? Slot)>(StringComparer.Ordinal);
        var unread = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(BatchSize))
        {
            var keys = chunk.Select(TaskItemMapper.Key).ToList();
            for (var round = 0; keys.Count > 0 && round < 5; round++)
            {
                var response = await dynamoDb.BatchGetItemAsync(new BatchGetItemRequest
                {
                    RequestItems = new Dictionary<string, KeysAndAttributes>
                    {
                        [tableName] = new()
                        {
                            Keys = keys,
                            ConsistentRead = true,
                            ProjectionExpression = "#id, #status, #slot",
                            ExpressionAttributeNames = new Dictionary<string, string>
                            {
                                ["#id"] = TaskAttributes.Id,
                                ["#status"] = TaskAttributes.Status,
                                ["#slot"] = TaskAttributes.QuotaSlot,
                            },
                        },
                    },
                }, cancellationToken);
                foreach (var item in response.Responses?.GetValueOrDefault(tableName) ?? [])
                {
                    found[item[TaskAttributes.Id].S] = (item.TryGetValue(TaskAttributes.Status, out var status) ? status.S : "",
                        item.TryGetValue(TaskAttributes.QuotaSlot, out var slot) ? slot.S : null);
                }
                keys = response.UnprocessedKeys?.GetValueOrDefault(tableName)?.Keys ?? [];
            }
            // Unread after retries: left in the set rather than guessed gone.
            unread.UnionWith(keys.Select(key => key[TaskAttributes.Id].S));
        }
        return (found, unread);
    }
}
