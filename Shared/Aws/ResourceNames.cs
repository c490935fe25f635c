namespace SdServerless.Aws;

/// <summary>
/// The names of the serverless tier's resources, bound from the configuration section <c>Resources</c>
/// (on Lambda: the template's <c>Globals.Function.Environment.Variables</c>; locally: the same, resolved by the AppHost).
/// </summary>
public sealed class ResourceNames
{
    public const string SectionName = "Resources";

    public string TasksTopicArn { get; set; } = "";

    public string ResultsTopicArn { get; set; } = "";

    public string ResultsQueueUrl { get; set; } = "";

    public string OutputBucket { get; set; } = "";

    public string TasksTable { get; set; } = "";

    /// <summary>Comma-separated runtime names; each has the queue <c>{RuntimeQueueNamePrefix}{runtime}</c>.</summary>
    public string Runtimes { get; set; } = "";

    public string RuntimeQueueNamePrefix { get; set; } = "";

    public IReadOnlyList<string> RuntimeList =>
        Runtimes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
