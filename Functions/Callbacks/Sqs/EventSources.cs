using SdServerless.Aws;

namespace SdServerless.Functions.Callbacks.Sqs;

/// <summary>Tells a record's queue from its <c>eventSourceARN</c> (<c>arn:aws:sqs:region:account:name</c>), by the names serverless.template gives.</summary>
public sealed class EventSources
{
    /// <summary>Where SQS events arrive: the Lambda Web Adapter posts every non-HTTP event here.</summary>
    public const string Path = "/events";

    private readonly string _resultsQueueName;
    private readonly Dictionary<string, string> _deadLetterRuntimes;

    public EventSources(ResourceNames resources)
    {
        _resultsQueueName = QueueNameOfUrl(resources.ResultsQueueUrl);
        _deadLetterRuntimes = resources.RuntimeNames.ToDictionary(resources.RuntimeDeadLetterQueueName, runtime => runtime, StringComparer.Ordinal);
    }

    public EventSource Classify(string eventSourceArn)
    {
        var name = QueueNameOfArn(eventSourceArn);
        if (name.Length > 0 && name == _resultsQueueName)
        {
            return new EventSource(EventSourceKind.Results, name);
        }
        return _deadLetterRuntimes.TryGetValue(name, out var runtime)
            ? new EventSource(EventSourceKind.RuntimeDeadLetter, name, runtime)
            : new EventSource(EventSourceKind.Unknown, name);
    }

    public static string QueueNameOfArn(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length == 6 && parts[0] == "arn" && parts[2] == "sqs" ? parts[5] : "";
    }

    public static string QueueNameOfUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath.TrimEnd('/').Split('/')[^1] : "";
}
