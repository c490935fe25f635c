using System.Diagnostics;
using SdServerless.Aws.Tracing;

namespace SdServerless.Shared.Tests.Aws;

/// <summary>Examples from AWS's X-Ray documentation (tracing header).</summary>
public class XRayTraceHeaderTests
{
    private const string DocumentedHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    [Fact]
    public void DocumentedHeaderBecomesAW3CContext()
    {
        Assert.True(XRayTraceHeader.TryParse(DocumentedHeader, out var context));

        Assert.Equal("5759e988bd862e3fe1be46a994272793", context.TraceId.ToHexString());
        Assert.Equal("53995c3f42cd8ad8", context.SpanId.ToHexString());
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.True(context.IsRemote);
    }

    [Fact]
    public void ContextFormatsBackToTheSameHeader()
    {
        Assert.True(XRayTraceHeader.TryParse(DocumentedHeader, out var context));

        Assert.Equal(DocumentedHeader, XRayTraceHeader.Format(context));
    }

    [Fact]
    public void UnsampledHeaderKeepsItsDecisionAndOrderOfPartsDoesNotMatter()
    {
        Assert.True(XRayTraceHeader.TryParse("Sampled=0;Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793", out var context));

        Assert.Equal(ActivityTraceFlags.None, context.TraceFlags);
        Assert.EndsWith("Sampled=0", XRayTraceHeader.Format(context));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793")]
    [InlineData("Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a99427279z;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000")]
    public void MalformedHeadersAreRejected(string header) =>
        Assert.False(XRayTraceHeader.TryParse(header, out _));

    [Fact]
    public void ConsumerPrefersTraceParentOverTheXRayHeader()
    {
        var parent = MessageTraceContext.Extract("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", DocumentedHeader);

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", parent!.Value.TraceId.ToHexString());
        Assert.Equal("5759e988bd862e3fe1be46a994272793", MessageTraceContext.Extract(null, DocumentedHeader)!.Value.TraceId.ToHexString());
        Assert.Null(MessageTraceContext.Extract("garbage", "garbage"));
    }
}
