using System.Text.RegularExpressions;
using SdServerless.Contracts.Tasks;
using SdServerless.LocalAws.Emulators;

namespace SdServerless.Infrastructure.Tests.Templates;

/// <summary>
/// Each retention class the API offers has its lifecycle rule in the output bucket: outputs tagged
/// <c>retention=&lt;days&gt;d</c> expire after that many days (docs/decisions/0347).
/// </summary>
public partial class RetentionLifecycleTests
{
    private static readonly string Template = File.ReadAllText(RepositoryLayout.ServerlessTemplate);

    public static TheoryData<int> Classes => [.. OutputRetention.DefaultClassDays];

    [Theory]
    [MemberData(nameof(Classes))]
    public void EachRetentionClassHasAnEnabledRuleForItsTagOverTheOutputs(int days)
    {
        var rule = Rules().SingleOrDefault(r => r.Groups["value"].Value == OutputRetention.TagValue(days));

        Assert.True(rule is not null, $"serverless.template has no lifecycle rule for {OutputRetention.TagKey}={OutputRetention.TagValue(days)}");
        Assert.Equal("outputs/", rule.Groups["prefix"].Value);
        Assert.Equal(OutputRetention.TagKey, rule.Groups["key"].Value);
        Assert.Equal(days.ToString(System.Globalization.CultureInfo.InvariantCulture), rule.Groups["days"].Value);
    }

    [Fact]
    public void NoClassOutlivesTheBucketsDefaultExpiry()
    {
        var outputDays = int.Parse(OutputExpirationDefault().Match(Template).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.All(OutputRetention.DefaultClassDays, days => Assert.True(days <= outputDays, $"class {days}d outlives OutputExpirationDays {outputDays}"));
    }

    private static IEnumerable<Match> Rules() => TagRule().Matches(Template);

    [GeneratedRegex(@"- Id: expire-outputs-\w+\s+Status: Enabled\s+Prefix: (?<prefix>\S+)\s+TagFilters:\s+- Key: (?<key>\S+)\s+Value: (?<value>\S+)\s+ExpirationInDays: (?<days>\d+)")]
    private static partial Regex TagRule();

    [GeneratedRegex(@"OutputExpirationDays:\s+Type: Number\s+Default: (\d+)")]
    private static partial Regex OutputExpirationDefault();
}
