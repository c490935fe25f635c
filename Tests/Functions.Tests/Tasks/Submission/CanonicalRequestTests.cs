using System.Diagnostics;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Submission;

namespace SdServerless.Functions.Tests.Tasks.Submission;

public class CanonicalRequestTests
{
    private static TaskSubmission Submission(string prompt, IReadOnlyList<string>? images = null) => new()
    {
        Runtime = "sdruntime",
        TaskType = images is null ? TaskTypes.TextToImage : TaskTypes.ImageToImage,
        Parameters = new GenerationParameters { Prompt = prompt, InitImages = images },
        OutputPrefix = "outputs",
    };

    [Fact]
    public void EqualSubmissionsHashEqualAndDifferentOnesDiffer()
    {
        var first = CanonicalRequest.From(Submission("a cat")).Hash();
        var again = CanonicalRequest.From(Submission("a cat")).Hash();
        var other = CanonicalRequest.From(Submission("a dog")).Hash();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Matches("^[0-9a-f]{64}$", first);
    }

    [Fact]
    public void InitImagesCountInTheHashButAreNotStored()
    {
        var one = CanonicalRequest.From(Submission("x", ["aGVsbG8="]));
        var two = CanonicalRequest.From(Submission("x", ["d29ybGQ="]));

        Assert.NotEqual(one.Hash(), two.Hash());
        Assert.DoesNotContain("aGVsbG8=", one.ToStoredJson());
        Assert.Contains("\"prompt\":\"x\"", one.ToStoredJson());
    }

    [Fact]
    public void MintedIdsAreUrlSafeAndSortByTime()
    {
        var start = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        var ids = Enumerable.Range(0, 50).Select(i => TaskIds.New(start.AddMilliseconds(i))).ToList();

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void XRayHeaderCarriesTheW3CTraceId()
    {
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        var traceId = activity.TraceId.ToHexString();

        var header = SdServerless.Aws.Tracing.XRayTraceHeader.Format(activity.Context);

        Assert.Equal($"Root=1-{traceId[..8]}-{traceId[8..]};Parent={activity.SpanId.ToHexString()};Sampled=1", header);
        Assert.Equal(activity.Id, SdServerless.Aws.Tracing.MessageTraceContext.TraceParent(activity));
    }

    [Fact]
    public void ExpiresAfterCountsInTheHashAsAskedAndIsLeftOutWhenNotAsked()
    {
        var plain = CanonicalRequest.From(Submission("x"));
        var day = CanonicalRequest.From(Submission("x") with { Retention = new(7200, 1) });
        var longer = CanonicalRequest.From(Submission("x") with { Retention = new(7300, 1) });

        Assert.NotEqual(plain.Hash(), day.Hash());
        Assert.NotEqual(day.Hash(), longer.Hash());
        Assert.DoesNotContain("expires_after", plain.ToStoredJson());
        Assert.Contains("\"expires_after\":7200", day.ToStoredJson());
    }
}
