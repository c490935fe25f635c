using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tests.Tasks.Validation;

public class DurationTextTests
{
    [Theory]
    [InlineData("90s", 90_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("2m5s", 125_000)]
    [InlineData("1500ms", 1_500)]
    [InlineData("1s500ms", 1_500)]
    [InlineData("0s", 0)]
    public void ReadsDurationsWithUnits(string text, long milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("90")]
    [InlineData("-5s")]
    [InlineData("5 m")]
    [InlineData("1.5s")]
    [InlineData("30s1m")]
    [InlineData("5d")]
    [InlineData("PT5M")]
    [InlineData("s")]
    [InlineData("5mss")]
    public void RefusesAnythingElse(string text) => Assert.False(DurationText.TryParse(text, out _));
}
