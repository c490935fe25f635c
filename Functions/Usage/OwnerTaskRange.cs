using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Usage;

/// <summary>
/// An owner's tasks created in a time range, read from the by-owner index (key: owner, then <c>sk</c> = created time
/// and id): a Query over one owner's range, never a Scan of the table, as usage reads it.
/// </summary>
public sealed class OwnerTaskRange(IAmazonDynamoDB dynamoDb, string tableName)
{
    /// <summary>Tasks of <paramref name="owner"/> created in [<paramref name="from"/>, <paramref name="to"/>), optionally only on one runtime or in some states.</summary>
    public async IAsyncEnumerable<TaskRecord> ReadAsync(
        string owner, DateTimeOffset from, DateTimeOffset to, string? runtime, IReadOnlyList<string>? statuses,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var request = Request(owner, from, to, runtime, statuses);
            request.ExclusiveStartKey = startKey;
            var response = await dynamoDb.QueryAsync(request, cancellationToken);
            foreach (var item in response.Items ?? [])
            {
                yield return TaskItemMapper.FromItem(item);
            }
            startKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null);
    }

    private QueryRequest Request(string owner, DateTimeOffset from, DateTimeOffset to, string? runtime, IReadOnlyList<string>? statuses)
    {
        var request = new QueryRequest
        {
            TableName = tableName,
            IndexName = TaskIndexes.ByOwner,
            KeyConditionExpression = "#owner = :owner AND #sk BETWEEN :from AND :to",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#owner"] = TaskAttributes.Owner, ["#sk"] = TaskAttributes.SortKey },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":owner"] = TaskItemMapper.S(owner),
                [":from"] = TaskItemMapper.S(TaskTimestamps.Format(from)),
                // '#' sorts after every timestamp character, '$' after '#': the last task created before 'to' is included.
                [":to"] = TaskItemMapper.S(TaskTimestamps.Format(to.AddTicks(-1)) + "$"),
            },
        };
        var filters = new List<string>();
        if (runtime is not null)
        {
            filters.Add("#runtime = :runtime");
            request.ExpressionAttributeNames["#runtime"] = TaskAttributes.Runtime;
            request.ExpressionAttributeValues[":runtime"] = TaskItemMapper.S(runtime);
        }
        if (statuses is { Count: > 0 })
        {
            var names = statuses.Select((_, i) => $":status{i}").ToList();
            filters.Add($"#status IN ({string.Join(", ", names)})");
            request.ExpressionAttributeNames["#status"] = TaskAttributes.Status;
            for (var i = 0; i < statuses.Count; i++)
            {
                request.ExpressionAttributeValues[names[i]] = TaskItemMapper.S(statuses[i]);
            }
        }
        if (filters.Count > 0)
        {
            request.FilterExpression = string.Join(" AND ", filters);
        }
        return request;
    }
}
