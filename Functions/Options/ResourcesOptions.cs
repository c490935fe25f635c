namespace SdServerless.Functions.Options;

/// <summary>
/// The <c>Resources</c> section: names of the stack's resources, set from <c>serverless.template</c>'s function
/// environment (<c>Resources__TasksTopicArn</c>, ...), on AWS and locally alike.
/// </summary>
public sealed class ResourcesOptions
{
    public const string SectionName = "Resources";

    public string TasksTopicArn { get; set; } = "";

    /// <summary>Where task results are published (the callback publishes results of dead-lettered tasks).</summary>
    public string ResultsTopicArn { get; set; } = "";

    /// <summary>The queue the callback function consumes; its name tells result records from dead letters.</summary>
    public string ResultsQueueUrl { get; set; } = "";

    public string OutputBucket { get; set; } = "";

    public string TasksTable { get; set; } = "";

    /// <summary>Comma-separated runtime names, as the template's <c>Runtimes</c> parameter.</summary>
    public string Runtimes { get; set; } = "";

    /// <summary>A runtime's queue is named <c>{prefix}{runtime}</c>.</summary>
    public string RuntimeQueueNamePrefix { get; set; } = "";

    /// <summary>A runtime's dead-letter queue is named <c>{prefix}{runtime}-dlq</c> (serverless.template, <c>RuntimeDeadLetterQueue</c>).</summary>
    public string RuntimeDeadLetterQueueName(string runtime) => $"{RuntimeQueueNamePrefix}{runtime}-dlq";

    public IReadOnlyList<string> RuntimeNames =>
        Runtimes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
