using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Aws.TaskStore;

/// <summary>
/// The tasks table, for the API, the GPU worker and the result callback. Every state change is a conditional write,
/// so <c>queued → running → succeeded | failed | canceled</c> and <c>queued → expired</c> hold under at-least-once
/// delivery and races:
/// a terminal task never changes again.
/// </summary>
public sealed class TaskTable(IAmazonDynamoDB dynamoDb, string tableName)
{
    private static readonly Dictionary<string, string> StatusName = new() { ["#status"] = TaskAttributes.Status };

    public string TableName => tableName;

    /// <summary>Writes a new task; when one with the same id exists, nothing is written and the existing task comes back.</summary>
    public async Task<CreateTaskOutcome> CreateAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = TaskItemMapper.ToItem(task),
                ConditionExpression = "attribute_not_exists(#id)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#id"] = TaskAttributes.Id },
            }, cancellationToken);
            return new CreateTaskOutcome(true, task);
        }
        catch (ConditionalCheckFailedException)
        {
            var existing = await GetAsync(task.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Task {task.Id} exists for the condition but could not be read.");
            return new CreateTaskOutcome(false, existing);
        }
    }

    /// <summary>Reads a task with a strongly consistent read; null when there is none.</summary>
    public async Task<TaskRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = Key(id),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item && item.ContainsKey(TaskAttributes.Owner) ? TaskItemMapper.FromItem(item) : null;
    }

    /// <summary>A consistent read of the task's status alone: the cheap cancel check a worker makes between progress writes.</summary>
    public async Task<string?> StatusAsync(string id, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = Key(id),
            ConsistentRead = true,
            ProjectionExpression = "#status",
            ExpressionAttributeNames = StatusName,
        }, cancellationToken);
        return response.Item is { } item && item.TryGetValue(TaskAttributes.Status, out var status) ? status.S : null;
    }

    /// <summary>Cancels the owner's task if it is queued or running.</summary>
    public async Task<CancelOutcome> CancelAsync(string id, string owner, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = Key(id),
                UpdateExpression = "SET #status = :canceled, #finished = :at REMOVE #queued_start_by",
                ConditionExpression = "#owner = :owner AND #status IN (:queued, :running)",
                ExpressionAttributeNames = new Dictionary<string, string>(StatusName)
                {
                    ["#owner"] = TaskAttributes.Owner,
                    ["#finished"] = TaskAttributes.FinishedAt,
                    ["#queued_start_by"] = TaskAttributes.QueuedStartBy,
                },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":canceled"] = TaskItemMapper.S(TaskStatuses.Canceled),
                    [":at"] = TaskItemMapper.S(TaskTimestamps.Format(at)),
                    [":owner"] = TaskItemMapper.S(owner),
                    [":queued"] = TaskItemMapper.S(TaskStatuses.Queued),
                    [":running"] = TaskItemMapper.S(TaskStatuses.Running),
                },
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken);
            return new CancelOutcome(CancelResult.Canceled, TaskItemMapper.FromItem(response.Attributes));
        }
        catch (ConditionalCheckFailedException)
        {
            var current = await GetAsync(id, cancellationToken);
            return current is null || current.Owner != owner
                ? new CancelOutcome(CancelResult.NotFound, null)
                : new CancelOutcome(CancelResult.AlreadyTerminal, current);
        }
    }

    /// <summary>
    /// Records on the owner's failed, canceled or expired task that <paramref name="retryId"/> retries it. Only
    /// <c>retried_by</c> is written, and only while the task exists and is still so: the write can neither create an item
    /// nor change a task's state. False when the condition did not hold (nothing was written).
    /// </summary>
    public Task<bool> LinkRetryAsync(string id, string owner, string retryId, CancellationToken cancellationToken) =>
        ConditionalUpdate.TryAsync(dynamoDb, new UpdateItemRequest
        {
            TableName = tableName,
            Key = Key(id),
            UpdateExpression = "SET #retried_by = :retry",
            ConditionExpression = "attribute_exists(#id) AND #owner = :owner AND #status IN (:failed, :canceled, :expired)",
            ExpressionAttributeNames = new Dictionary<string, string>(StatusName)
            {
                ["#id"] = TaskAttributes.Id,
                ["#owner"] = TaskAttributes.Owner,
                ["#retried_by"] = TaskAttributes.RetriedBy,
            },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":retry"] = TaskItemMapper.S(retryId),
                [":owner"] = TaskItemMapper.S(owner),
                [":failed"] = TaskItemMapper.S(TaskStatuses.Failed),
                [":canceled"] = TaskItemMapper.S(TaskStatuses.Canceled),
                [":expired"] = TaskItemMapper.S(TaskStatuses.Expired),
            },
        }, cancellationToken);

    /// <summary>queued → running, recording which worker took it; false when the task is not queued (canceled, already taken, gone).</summary>
    public Task<bool> TryStartAsync(string id, string worker, DateTimeOffset at, CancellationToken cancellationToken) =>
        TryUpdateAsync(new UpdateItemRequest
        {
            TableName = tableName,
            Key = Key(id),
            UpdateExpression = "SET #status = :running, #started = :at, #worker = :worker ADD #attempts :one REMOVE #queued_start_by",
            ConditionExpression = "#status = :queued",
            ExpressionAttributeNames = new Dictionary<string, string>(StatusName)
            {
                ["#started"] = TaskAttributes.StartedAt,
                ["#worker"] = TaskAttributes.Worker,
                ["#attempts"] = TaskAttributes.Attempts,
                ["#queued_start_by"] = TaskAttributes.QueuedStartBy,
            },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":running"] = TaskItemMapper.S(TaskStatuses.Running),
                [":queued"] = TaskItemMapper.S(TaskStatuses.Queued),
                [":at"] = TaskItemMapper.S(TaskTimestamps.Format(at)),
                [":worker"] = TaskItemMapper.S(worker),
                [":one"] = new AttributeValue { N = "1" },
            },
        }, cancellationToken);

    /// <summary>
    /// A running task whose worker lost its lease (its message was delivered again) is taken over by <paramref name="worker"/>;
    /// false when the task is no longer running.
    /// </summary>
    public Task<bool> TakeOverAsync(string id, string worker, CancellationToken cancellationToken) =>
        TryUpdateAsync(new UpdateItemRequest
        {
            TableName = tableName,
            Key = Key(id),
            UpdateExpression = "SET #worker = :worker ADD #attempts :one",
            ConditionExpression = "#status = :running",
            ExpressionAttributeNames = new Dictionary<string, string>(StatusName) { ["#worker"] = TaskAttributes.Worker, ["#attempts"] = TaskAttributes.Attempts },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":running"] = TaskItemMapper.S(TaskStatuses.Running),
                [":worker"] = TaskItemMapper.S(worker),
                [":one"] = new AttributeValue { N = "1" },
            },
        }, cancellationToken);

    /// <summary>
    /// The attempt <paramref name="worker"/> started is handed back by the worker itself (shutdown, Spot notice, its own
    /// fault), so it never counts as a crash; false when the task is no longer running or another worker holds it.
    /// </summary>
    public Task<bool> ReleaseAsync(string id, string worker, CancellationToken cancellationToken) =>
        TryUpdateAsync(new UpdateItemRequest
        {
            TableName = tableName,
            Key = Key(id),
            UpdateExpression = "ADD #releases :one",
            ConditionExpression = "#status = :running AND #worker = :worker",
            ExpressionAttributeNames = new Dictionary<string, string>(StatusName) { ["#worker"] = TaskAttributes.Worker, ["#releases"] = TaskAttributes.Releases },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":running"] = TaskItemMapper.S(TaskStatuses.Running),
                [":worker"] = TaskItemMapper.S(worker),
                [":one"] = new AttributeValue { N = "1" },
            },
        }, cancellationToken);

    /// <summary>Records progress while the task runs; false when it is no longer running (for example canceled), which tells the worker to stop.</summary>
    public Task<bool> UpdateProgressAsync(string id, int step, int steps, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, step);
        return TryUpdateAsync(new UpdateItemRequest
        {
            TableName = tableName,
            Key = Key(id),
            UpdateExpression = "SET #step = :step, #steps = :steps",
            ConditionExpression = "#status = :running",
            ExpressionAttributeNames = new Dictionary<string, string>(StatusName)
            {
                ["#step"] = TaskAttributes.ProgressStep,
                ["#steps"] = TaskAttributes.ProgressSteps,
            },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":running"] = TaskItemMapper.S(TaskStatuses.Running),
                [":step"] = TaskItemMapper.N(step),
                [":steps"] = TaskItemMapper.N(steps),
            },
        }, cancellationToken);
    }

    /// <summary>
    /// Ends a queued or running task in <paramref name="terminalStatus"/>, with the text-encoder tokens it used where its
    /// runtime reported them; false when it had already ended. Only a queued task can end <c>expired</c>: one that
    /// started meanwhile is left to run (its deadline cancels it).
    /// </summary>
    public Task<bool> CompleteAsync(
        string id, string terminalStatus, IReadOnlyList<TaskOutput> outputs, TaskError? error, PromptTokenCounts? promptTokens,
        DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!TaskStatuses.IsTerminal(terminalStatus))
        {
            throw new ArgumentException($"'{terminalStatus}' is not a terminal status ({string.Join(", ", TaskStatuses.All.Where(TaskStatuses.IsTerminal))}).", nameof(terminalStatus));
        }
        var set = new List<string> { "#status = :terminal", "#finished = :at" };
        var remove = new List<string> { "#queued_start_by" };
        var names = new Dictionary<string, string>(StatusName) { ["#finished"] = TaskAttributes.FinishedAt, ["#queued_start_by"] = TaskAttributes.QueuedStartBy };
        var values = new Dictionary<string, AttributeValue>
        {
            [":terminal"] = TaskItemMapper.S(terminalStatus),
            [":at"] = TaskItemMapper.S(TaskTimestamps.Format(at)),
            [":queued"] = TaskItemMapper.S(TaskStatuses.Queued),
        };
        var expires = terminalStatus == TaskStatuses.Expired;
        if (!expires)
        {
            values[":running"] = TaskItemMapper.S(TaskStatuses.Running);
        }
        names["#outputs"] = TaskAttributes.Outputs;
        if (outputs.Count > 0)
        {
            set.Add("#outputs = :outputs");
            values[":outputs"] = TaskItemMapper.S(TaskItemMapper.OutputsJson(outputs));
        }
        else
        {
            remove.Add("#outputs");
        }
        names["#tokens"] = TaskAttributes.PromptTokens;
        if (promptTokens is not null)
        {
            set.Add("#tokens = :tokens");
            values[":tokens"] = TaskItemMapper.S(TaskItemMapper.PromptTokensJson(promptTokens));
        }
        else
        {
            remove.Add("#tokens");
        }
        names["#code"] = TaskAttributes.ErrorCode;
        names["#message"] = TaskAttributes.ErrorMessage;
        if (error is not null)
        {
            set.Add("#code = :code");
            set.Add("#message = :message");
            values[":code"] = TaskItemMapper.S(error.Code);
            values[":message"] = TaskItemMapper.S(error.Message);
        }
        else
        {
            remove.Add("#code");
            remove.Add("#message");
        }
        var expression = $"SET {string.Join(", ", set)} REMOVE {string.Join(", ", remove)}";
        return TryUpdateAsync(new UpdateItemRequest
        {
            TableName = tableName,
            Key = Key(id),
            UpdateExpression = expression,
            ConditionExpression = expires ? "#status = :queued" : "#status IN (:queued, :running)",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        }, cancellationToken);
    }

    private Task<bool> TryUpdateAsync(UpdateItemRequest request, CancellationToken cancellationToken) =>
        ConditionalUpdate.TryAsync(dynamoDb, request, cancellationToken);

    private static Dictionary<string, AttributeValue> Key(string id) => TaskItemMapper.Key(id);
}
