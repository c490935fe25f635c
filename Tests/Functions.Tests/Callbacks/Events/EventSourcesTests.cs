using SdServerless.Aws;
using SdServerless.Functions.Callbacks.Sqs;

namespace SdServerless.Functions.Tests.Callbacks.Events;

public class EventSourcesTests
{
    private readonly EventSources _sources = new(new ResourceNames
    {
        ResultsQueueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/stack-results",
        Runtimes = "sdruntime,sd-turbo",
        RuntimeQueueNamePrefix = "stack-",
    });

    [Theory]
    [InlineData("arn:aws:sqs:eu-west-1:123456789012:stack-results", EventSourceKind.Results, null)]
    [InlineData("arn:aws:sqs:eu-west-1:123456789012:stack-sdruntime-dlq", EventSourceKind.RuntimeDeadLetter, "sdruntime")]
    [InlineData("arn:aws:sqs:eu-west-1:123456789012:stack-sd-turbo-dlq", EventSourceKind.RuntimeDeadLetter, "sd-turbo")]
    [InlineData("arn:aws:sqs:eu-west-1:123456789012:stack-sdruntime", EventSourceKind.Unknown, null)]
    [InlineData("arn:aws:sqs:eu-west-1:123456789012:stack-results-dlq", EventSourceKind.Unknown, null)]
    [InlineData("not an arn", EventSourceKind.Unknown, null)]
    public void QueuesAreToldApartByName(string arn, EventSourceKind kind, string? runtime)
    {
        var source = _sources.Classify(arn);

        Assert.Equal(kind, source.Kind);
        Assert.Equal(runtime, source.Runtime);
    }
}
