using SdServerless.Functions.Tasks.Live;

namespace SdServerless.Functions.Tests.Tasks.Live;

public class TaskEventIdTests
{
    [Theory]
    [InlineData("1.7", 1, 7)]
    [InlineData("0.0", 0, 0)]
    [InlineData("2.0", 2, 0)]
    public void IdsSentOutAreReadBack(string id, int phase, int step)
    {
        Assert.Equal(new TaskEventId(phase, step), TaskEventId.Parse(id));
        Assert.Equal(id, TaskEventId.Parse(id).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("3.0")]
    [InlineData("1.-2")]
    [InlineData("a.b")]
    public void AnythingElseResumesFromTheStart(string? id) => Assert.Equal(TaskEventId.None, TaskEventId.Parse(id));

    [Fact]
    public void IdsOrderByPhaseThenStep()
    {
        Assert.True(new TaskEventId(1, 10) > new TaskEventId(1, 9));
        Assert.True(new TaskEventId(2, 0) > new TaskEventId(1, 150));
        Assert.True(new TaskEventId(0, 0) > TaskEventId.None);
    }

    [Theory]
    [InlineData("queued", 0)]
    [InlineData("running", 1)]
    [InlineData("succeeded", 2)]
    [InlineData("canceled", 2)]
    public void StatusesMapToPhases(string status, int phase) => Assert.Equal(phase, TaskEventId.PhaseOf(status));
}
