namespace SdServerless.Aws;

/// <summary>
/// The names of the serverless tier's resources, bound from the configuration section <c>Resources</c>
/// (on Lambda: the template's <c>Globals.Function.Environment.Variables</c>; locally: the same, resolved by the AppHost).
/// </summary>
public sealed class ResourceNames
{
    public const string SectionName = "Resources";

    public string TasksTopicArn { get; set; } = "";

    /// <summary>Where task results are published (the worker, and the callback for dead-lettered tasks).</summary>
    public string ResultsTopicArn { get; set; } = "";

    /// <summary>The queue the callback function consumes; its name tells result records from dead letters.</summary>
    public string ResultsQueueUrl { get; set; } = "";

    public string OutputBucket { get; set; } = "";

    public string TasksTable { get; set; } = "";

    /// <summary>Comma-separated runtime names; each has the queue <c>{RuntimeQueueNamePrefix}{runtime}</c>.</summary>
    public string Runtimes { get; set; } = "";

    public string RuntimeQueueNamePrefix { get; set; } = "";

    /// <summary>A runtime's dead-letter queue is named <c>{prefix}{runtime}-dlq</c> (serverless.template, <c>RuntimeDeadLetterQueue</c>).</summary>
    public string RuntimeDeadLetterQueueName(string runtime) => $"{RuntimeQueueNamePrefix}{runtime}-dlq";

    public IReadOnlyList<string> RuntimeNames =>
        Runtimes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
