using SdServerless.Functions.Tasks.Submission;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tests.Tasks.Validation;

public class ExpiresAfterRuleTests
{
    private static readonly ExpiresAfterRule Rule = new(new RetentionOptions { MinSeconds = 3600, MaxSeconds = 30 * 86400, ClassDays = "30, 1,7" });

    [Theory]
    [InlineData(3600, 1)]
    [InlineData(86400, 1)]
    [InlineData(86401, 7)]
    [InlineData(7 * 86400, 7)]
    [InlineData(7 * 86400 + 1, 30)]
    [InlineData(30 * 86400, 30)]
    public void SecondsRoundUpToTheSmallestClassThatKeepsThemLongEnough(int seconds, int days)
    {
        var errors = new ValidationErrors();

        var choice = Rule.Check(seconds, errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new RetentionChoice(seconds, days), choice);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(3599)]
    [InlineData(30 * 86400 + 1)]
    public void SecondsOutsideTheLimitsAreRefusedNamingTheField(int seconds)
    {
        var errors = new ValidationErrors();

        Assert.Null(Rule.Check(seconds, errors));

        var messages = Assert.Single(errors.ToDictionary(), pair => pair.Key == "expires_after").Value;
        Assert.Equal("expires_after must be 3600 to 2592000 seconds; got " + seconds + ".", Assert.Single(messages));
    }

    [Fact]
    public void TheLargestClassBoundsTheMaximumToo()
    {
        var rule = new ExpiresAfterRule(new RetentionOptions { MinSeconds = 60, MaxSeconds = 90 * 86400, ClassDays = "1,7" });
        var errors = new ValidationErrors();

        Assert.Null(rule.Check(8 * 86400, errors));
        Assert.False(errors.IsEmpty);
    }

    [Fact]
    public void WithoutExpiresAfterTheBucketsDefaultApplies()
    {
        var errors = new ValidationErrors();

        Assert.Null(Rule.Check(null, errors));
        Assert.True(errors.IsEmpty);
    }
}
