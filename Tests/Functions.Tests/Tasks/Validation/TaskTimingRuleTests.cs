using SdServerless.Contracts.Runtimes;
using SdServerless.Functions.Tasks.Submission;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tests.Tasks.Validation;

public class TaskTimingRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RuntimeDefinition WithTtl = new() { Name = "sdruntime", QueueTtlSeconds = 600 };
    private static readonly RuntimeDefinition WithoutTtl = new() { Name = "sdruntime" };

    [Fact]
    public void CancelAfterSetsTheDeadlineAndTheLatestStartFromNow()
    {
        var errors = new ValidationErrors();
        var timing = TaskTimingRule.Check("90s", null, WithTtl, Now, errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(Now.AddSeconds(90), timing.Deadline);
        Assert.Equal(Now.AddSeconds(90), timing.StartBy);
    }

    [Fact]
    public void DeadlineFieldIsReadWithItsOffsetAndKeptInUtc()
    {
        var errors = new ValidationErrors();
        var timing = TaskTimingRule.Check(null, "2026-03-01T13:30:00+01:00", WithTtl, Now, errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(Now.AddMinutes(30), timing.Deadline);
        Assert.Equal(TimeSpan.Zero, timing.Deadline!.Value.Offset);
    }

    [Fact]
    public void WithoutADeadlineTheRuntimesQueueTtlBoundsTheStartOnly()
    {
        var errors = new ValidationErrors();
        var timing = TaskTimingRule.Check(null, null, WithTtl, Now, errors);

        Assert.Null(timing.Deadline);
        Assert.Equal(Now.AddMinutes(10), timing.StartBy);
        Assert.Equal(TaskTiming.None, TaskTimingRule.Check(null, null, WithoutTtl, Now, errors));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("soon", null, "Cancel-After")]
    [InlineData("0s", null, "Cancel-After")]
    [InlineData("25h", null, "Cancel-After")]
    [InlineData(null, "2026-03-01T12:30:00", "deadline")]
    [InlineData(null, "tomorrow", "deadline")]
    [InlineData(null, "2026-03-01T11:59:59Z", "deadline")]
    [InlineData(null, "2026-03-02T12:00:01Z", "deadline")]
    [InlineData("90s", "2026-03-01T12:30:00Z", "deadline")]
    public void BadValuesNameTheirField(string? cancelAfter, string? deadline, string field)
    {
        var errors = new ValidationErrors();
        TaskTimingRule.Check(cancelAfter, deadline, WithTtl, Now, errors);

        Assert.Equal([field], errors.ToDictionary().Keys);
    }
}
