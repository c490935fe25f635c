using SdServerless.Functions.Tasks.Live;

namespace SdServerless.Functions.Tests.Tasks.Live;

public class PreferWaitTests
{
    [Theory]
    [InlineData("wait=10", 10)]
    [InlineData("respond-async, wait=5", 5)]
    [InlineData("WAIT=7", 7)]
    [InlineData("wait=\"8\"", 8)]
    [InlineData("wait=0", 0)]
    [InlineData("wait", 60)]
    [InlineData("wait=600", 60)]
    [InlineData("handling=lenient; x=1, wait=3;foo", 3)]
    public void WaitIsReadAndCutToTheLongest(string header, int expected) =>
        Assert.Equal(expected, PreferWait.From([header], maxSeconds: 60));

    [Theory]
    [InlineData("respond-async")]
    [InlineData("wait=-1")]
    [InlineData("wait=1.5")]
    [InlineData("wait=soon")]
    [InlineData("waiting=3")]
    [InlineData("")]
    public void AnythingElseAsksForNoWait(string header) =>
        Assert.Null(PreferWait.From([header], maxSeconds: 60));

    [Fact]
    public void ThePreferenceMayComeInASecondHeader() =>
        Assert.Equal(4, PreferWait.From(["respond-async", "wait=4"], maxSeconds: 25));

    [Fact]
    public void ABareWaitMeansTheLongestAllowedHere() =>
        Assert.Equal(25, PreferWait.From(["wait"], maxSeconds: 25));
}
