using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Aws.TaskStore;

/// <summary>Converts between <see cref="TaskRecord"/> and the DynamoDB item; absent optional values are absent attributes.</summary>
public static class TaskItemMapper
{
    public static Dictionary<string, AttributeValue> ToItem(TaskRecord task)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [TaskAttributes.Id] = S(task.Id),
            [TaskAttributes.Owner] = S(task.Owner),
            [TaskAttributes.SortKey] = S(task.SortKey),
            [TaskAttributes.Status] = S(task.Status),
            [TaskAttributes.Runtime] = S(task.Runtime),
            [TaskAttributes.TaskType] = S(task.TaskType),
            [TaskAttributes.Request] = S(task.RequestJson),
            [TaskAttributes.RequestHash] = S(task.RequestHash),
            [TaskAttributes.OutputBucket] = S(task.Output.Bucket),
            [TaskAttributes.OutputPrefix] = S(task.Output.Prefix),
            [TaskAttributes.CreatedAt] = S(TaskTimestamps.Format(task.CreatedAt)),
            [TaskAttributes.ExpiresAt] = N(task.ExpiresAt),
        };
        AddTime(item, TaskAttributes.StartedAt, task.StartedAt);
        AddTime(item, TaskAttributes.FinishedAt, task.FinishedAt);
        AddNumber(item, TaskAttributes.ProgressStep, task.ProgressStep);
        AddNumber(item, TaskAttributes.ProgressSteps, task.ProgressSteps);
        if (task.Outputs.Count > 0)
        {
            item[TaskAttributes.Outputs] = S(OutputsJson(task.Outputs));
        }
        if (task.Error is not null)
        {
            item[TaskAttributes.ErrorCode] = S(task.Error.Code);
            item[TaskAttributes.ErrorMessage] = S(task.Error.Message);
        }
        if (task.PromptTokens is not null)
        {
            item[TaskAttributes.PromptTokens] = S(PromptTokensJson(task.PromptTokens));
        }
        AddString(item, TaskAttributes.CallbackUrl, task.CallbackUrl);
        if (task.WebhookEvents.Count > 0)
        {
            item[TaskAttributes.WebhookEvents] = new AttributeValue { SS = [.. task.WebhookEvents] };
        }
        AddString(item, TaskAttributes.Metadata, task.MetadataJson);
        AddString(item, TaskAttributes.Context, task.ContextJson);
        AddString(item, TaskAttributes.Worker, task.Worker);
        if (task.PublishPending)
        {
            item[TaskAttributes.PublishPending] = S(task.SortKey);
        }
        AddString(item, TaskAttributes.RetryOf, task.RetryOf);
        AddString(item, TaskAttributes.RetriedBy, task.RetriedBy);
        AddString(item, TaskAttributes.QuotaSlot, task.QuotaSlot);
        AddTime(item, TaskAttributes.Deadline, task.Deadline);
        AddTime(item, TaskAttributes.StartBy, task.StartBy);
        if (task.Status == TaskStatuses.Queued && task.StartBy is { } startBy)
        {
            item[TaskAttributes.QueuedStartBy] = S($"{TaskTimestamps.Format(startBy)}#{task.Id}");
        }
        item[TaskAttributes.Priority] = S(task.Priority);
        AddTime(item, TaskAttributes.OutputsDeletedAt, task.OutputsDeletedAt);
        if (task.RetentionDays is { } days)
        {
            item[TaskAttributes.RetentionDays] = N(days);
        }
        return item;
    }

    public static TaskRecord FromItem(IReadOnlyDictionary<string, AttributeValue> item)
    {
        var errorCode = String(item, TaskAttributes.ErrorCode);
        return new TaskRecord
        {
            Id = Required(item, TaskAttributes.Id),
            Owner = Required(item, TaskAttributes.Owner),
            Status = Required(item, TaskAttributes.Status),
            Runtime = Required(item, TaskAttributes.Runtime),
            TaskType = Required(item, TaskAttributes.TaskType),
            RequestJson = String(item, TaskAttributes.Request) ?? "{}",
            RequestHash = String(item, TaskAttributes.RequestHash) ?? "",
            Output = new TaskOutputLocation(Required(item, TaskAttributes.OutputBucket), Required(item, TaskAttributes.OutputPrefix)),
            CreatedAt = TaskTimestamps.Parse(Required(item, TaskAttributes.CreatedAt)),
            StartedAt = Time(item, TaskAttributes.StartedAt),
            FinishedAt = Time(item, TaskAttributes.FinishedAt),
            ProgressStep = Number(item, TaskAttributes.ProgressStep),
            ProgressSteps = Number(item, TaskAttributes.ProgressSteps),
            Outputs = String(item, TaskAttributes.Outputs) is { } outputs
                ? JsonSerializer.Deserialize(outputs, ContractsJsonContext.Default.ListTaskOutput) ?? []
                : [],
            Error = errorCode is null ? null : new TaskError(errorCode, String(item, TaskAttributes.ErrorMessage) ?? ""),
            PromptTokens = String(item, TaskAttributes.PromptTokens) is { } tokens
                ? JsonSerializer.Deserialize(tokens, ContractsJsonContext.Default.PromptTokenCounts)
                : null,
            CallbackUrl = String(item, TaskAttributes.CallbackUrl),
            WebhookEvents = item.TryGetValue(TaskAttributes.WebhookEvents, out var events) && events.SS is { } set ? [.. set.Order(StringComparer.Ordinal)] : [],
            MetadataJson = String(item, TaskAttributes.Metadata),
            ContextJson = String(item, TaskAttributes.Context),
            ExpiresAt = item.TryGetValue(TaskAttributes.ExpiresAt, out var expires) && expires.N is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : 0,
            Worker = String(item, TaskAttributes.Worker),
            Attempts = Number(item, TaskAttributes.Attempts) ?? 0,
            Releases = Number(item, TaskAttributes.Releases) ?? 0,
            Webhooks = Webhooks(item),
            PublishPending = item.ContainsKey(TaskAttributes.PublishPending),
            RetryOf = String(item, TaskAttributes.RetryOf),
            RetriedBy = String(item, TaskAttributes.RetriedBy),
            Deadline = Time(item, TaskAttributes.Deadline),
            StartBy = Time(item, TaskAttributes.StartBy),
            Priority = String(item, TaskAttributes.Priority) ?? TaskPriorities.Normal,
            OutputsDeletedAt = Time(item, TaskAttributes.OutputsDeletedAt),
            RetentionDays = Number(item, TaskAttributes.RetentionDays),
            QuotaSlot = String(item, TaskAttributes.QuotaSlot),
        };
    }

    private static IReadOnlyList<WebhookDeliveryState> Webhooks(IReadOnlyDictionary<string, AttributeValue> item)
    {
        var states = WebhookSlot.All.Select(slot => Webhook(item, slot)).OfType<WebhookDeliveryState>().ToList();
        return states.Count > 0 ? states : Array.Empty<WebhookDeliveryState>();
    }

    private static WebhookDeliveryState? Webhook(IReadOnlyDictionary<string, AttributeValue> item, WebhookSlot slot) =>
        String(item, slot.Event) is { } name
            ? new WebhookDeliveryState(name, Number(item, slot.Attempts) ?? 0, String(item, slot.LastError), Time(item, slot.DeliveredAt), Time(item, slot.GaveUpAt))
            : null;

    public static string OutputsJson(IReadOnlyList<TaskOutput> outputs) =>
        JsonSerializer.Serialize([.. outputs], ContractsJsonContext.Default.ListTaskOutput);

    public static string PromptTokensJson(PromptTokenCounts tokens) =>
        JsonSerializer.Serialize(tokens, ContractsJsonContext.Default.PromptTokenCounts);

    /// <summary>The key of task <paramref name="id"/>'s item.</summary>
    public static Dictionary<string, AttributeValue> Key(string id) => new() { [TaskAttributes.Id] = S(id) };

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static void AddString(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
        {
            item[name] = S(value);
        }
    }

    private static void AddNumber(Dictionary<string, AttributeValue> item, string name, int? value)
    {
        if (value is { } number)
        {
            item[name] = N(number);
        }
    }

    private static void AddTime(Dictionary<string, AttributeValue> item, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            item[name] = S(TaskTimestamps.Format(time));
        }
    }

    private static string? String(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    private static string Required(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        String(item, name) ?? throw new InvalidDataException($"Task item lacks the '{name}' attribute.");

    private static int? Number(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : null;

    private static DateTimeOffset? Time(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        String(item, name) is { } text ? TaskTimestamps.Parse(text) : null;
}
