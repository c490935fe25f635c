using System.Text.RegularExpressions;

namespace SdServerless.Infrastructure.Tests.Templates;

/// <summary>serverless.template's alarms watch each runtime's queues, the results dead letters, the API and the webhooks, and notify the alarm topic.</summary>
public sealed partial class ServerlessAlarmsTests(InfraTools tools) : IClassFixture<InfraTools>
{
    private static readonly string[] Runtimes = ["sdruntime", "sd-webui"];

    private static readonly JsonNode Actions = JsonNode.Parse("""{"Fn::If":["HasAlarmTopic",[{"Ref":"AlarmTopicArn"}],{"Ref":"AWS::NoValue"}]}""")!;

    private async Task<JsonObject> ExpandForTwoRuntimesAsync()
    {
        using var temp = new TempDirectory();
        var text = File.ReadAllText(RepositoryRoot.Combine("serverless.template"));
        Assert.Contains("    Default: sdruntime\n", text, StringComparison.Ordinal);
        var file = temp.Write("serverless.template", text.Replace("    Default: sdruntime\n", $"    Default: {string.Join(',', Runtimes)}\n", StringComparison.Ordinal));
        return await new TemplateValidator(tools).ExpandAsync(file);
    }

    private static string Id(string runtime) => runtime.Replace("-", "", StringComparison.Ordinal);

    private static JsonNode GetAtt(string resource, string attribute) => new JsonObject { ["Fn::GetAtt"] = new JsonArray(resource, attribute) };

    private static JsonNode Properties(JsonObject template, string logicalId) => template["Resources"]![logicalId]!["Properties"]!;

    private static JsonArray QueueDimension(string queue) => [new JsonObject { ["Name"] = "QueueName", ["Value"] = GetAtt(queue, "QueueName") }];

    [Fact]
    public async Task EachRuntimeQueueAlarmsOnTheAgeOfItsOldestTaskOfAnyPriority()
    {
        var template = await ExpandForTwoRuntimesAsync();

        foreach (var runtime in Runtimes)
        {
            var alarm = Properties(template, $"RuntimeQueueAgeAlarm{Id(runtime)}");
            var queries = alarm["Metrics"]!.AsArray().ToDictionary(q => (string)q!["Id"]!);
            var returned = Assert.Single(queries.Values, q => (bool?)q!["ReturnData"] != false)!;
            foreach (var (id, queue) in new[] { ("normal", "RuntimeQueue"), ("high", "RuntimeHighQueue"), ("low", "RuntimeLowQueue") })
            {
                var stat = queries[id]!["MetricStat"]!;
                Assert.Equal("AWS/SQS", (string?)stat["Metric"]!["Namespace"]);
                Assert.Equal("ApproximateAgeOfOldestMessage", (string?)stat["Metric"]!["MetricName"]);
                Assert.True(JsonNode.DeepEquals(QueueDimension($"{queue}{Id(runtime)}"), stat["Metric"]!["Dimensions"]), stat["Metric"]!["Dimensions"]!.ToJsonString());
                Assert.Equal("Maximum", (string?)stat["Stat"]);
                Assert.Contains($"FILL({id}, 0)", (string?)returned["Expression"], StringComparison.Ordinal);
            }
            Assert.StartsWith("MAX(", (string?)returned["Expression"], StringComparison.Ordinal);
            Assert.Equal("QueueAgeAlarmSeconds", (string?)alarm["Threshold"]!["Ref"]);
            Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        }
    }

    [Fact]
    public async Task EachRuntimeDeadLetterQueueAlarmsOnAnyDeadLetterWaitingOrReceived()
    {
        var template = await ExpandForTwoRuntimesAsync();

        foreach (var runtime in Runtimes)
        {
            var alarm = Properties(template, $"RuntimeDeadLetterAlarm{Id(runtime)}");
            var queries = alarm["Metrics"]!.AsArray().ToDictionary(q => (string)q!["Id"]!);
            var returned = Assert.Single(queries.Values, q => (bool?)q!["ReturnData"] != false)!;
            foreach (var (id, metric) in new[] { ("depth", "ApproximateNumberOfMessagesVisible"), ("received", "NumberOfMessagesReceived") })
            {
                var stat = queries[id]!["MetricStat"]!;
                Assert.Equal("AWS/SQS", (string?)stat["Metric"]!["Namespace"]);
                Assert.Equal(metric, (string?)stat["Metric"]!["MetricName"]);
                Assert.True(JsonNode.DeepEquals(QueueDimension($"RuntimeDeadLetterQueue{Id(runtime)}"), stat["Metric"]!["Dimensions"]));
                Assert.Contains(id, (string)returned["Expression"]!, StringComparison.Ordinal);
            }
            Assert.Equal(0, (double)alarm["Threshold"]!);
            Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        }
    }

    [Fact]
    public async Task TheResultsDeadLetterQueueAlarmsWhenItHoldsAnything()
    {
        var template = await ExpandForTwoRuntimesAsync();

        var alarm = Properties(template, "ResultsDeadLetterAlarm");

        Assert.Equal("ApproximateNumberOfMessagesVisible", (string?)alarm["MetricName"]);
        Assert.True(JsonNode.DeepEquals(QueueDimension("ResultsDeadLetterQueue"), alarm["Dimensions"]));
        Assert.Equal(0, (double)alarm["Threshold"]!);
    }

    [Fact]
    public async Task TheApiAlarmWatchesTheFiveHundredRateOfTheTaskApiByItsName()
    {
        var template = await ExpandForTwoRuntimesAsync();

        var alarm = Properties(template, "Api5xxAlarm");
        var dimension = Assert.Single(alarm["Dimensions"]!.AsArray())!;

        Assert.Equal("AWS/ApiGateway", (string?)alarm["Namespace"]);
        Assert.Equal("5XXError", (string?)alarm["MetricName"]);
        Assert.Equal("Average", (string?)alarm["Statistic"]);
        Assert.Equal("ApiName", (string?)dimension["Name"]);
        Assert.True(JsonNode.DeepEquals(Properties(template, "TasksApi")["Name"], dimension["Value"]), "the dimension is the API's own name");
        Assert.Equal("Api5xxRateAlarmThreshold", (string?)alarm["Threshold"]!["Ref"]);
    }

    [Fact]
    public async Task GivenUpWebhooksAreCountedFromTheCallbacksLogLineAndAlarmed()
    {
        var template = await ExpandForTwoRuntimesAsync();
        var filter = Properties(template, "WebhooksGivenUpMetric");
        var transformation = Assert.Single(filter["MetricTransformations"]!.AsArray())!;
        var alarm = Properties(template, "WebhooksGivenUpAlarm");
        var phrase = ((string)filter["FilterPattern"]!).Trim('"');
        var messages = LogMessage().Matches(string.Concat(Directory.EnumerateFiles(RepositoryRoot.Combine("Functions"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText)))
            .Select(m => m.Groups["message"].Value).ToList();

        Assert.Equal("CallbackFunctionLogGroup", (string?)filter["LogGroupName"]!["Ref"]);
        Assert.Equal(["Webhook {Event} of task {TaskId} given up after attempt {Attempt}: {Error}"], messages.Where(m => m.Contains(phrase, StringComparison.Ordinal)));
        Assert.True(JsonNode.DeepEquals(transformation["MetricNamespace"], alarm["Namespace"]));
        Assert.Equal((string?)transformation["MetricName"], (string?)alarm["MetricName"]);
        Assert.Equal("Sum", (string?)alarm["Statistic"]);
        Assert.Equal(0, (double)alarm["Threshold"]!);
    }

    [Fact]
    public async Task EveryAlarmNotifiesTheAlarmTopicOnlyWhenOneIsGiven()
    {
        var template = await ExpandForTwoRuntimesAsync();
        var alarms = template["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == "AWS::CloudWatch::Alarm").ToList();

        Assert.Equal(2 * Runtimes.Length + 3, alarms.Count);
        Assert.All(alarms, a => Assert.True(JsonNode.DeepEquals(Actions, a.Value!["Properties"]!["AlarmActions"]), $"{a.Key}: AlarmActions"));
        Assert.All(alarms, a => Assert.True(JsonNode.DeepEquals(Actions, a.Value!["Properties"]!["OKActions"]), $"{a.Key}: OKActions"));
        Assert.Equal("", (string?)template["Parameters"]!["AlarmTopicArn"]!["Default"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Fn::Not":[{"Fn::Equals":[{"Ref":"AlarmTopicArn"},""]}]}"""), template["Conditions"]!["HasAlarmTopic"]));
    }

    [GeneratedRegex(@"\[LoggerMessage\([^""]*""(?<message>[^""]+)""\)\]")]
    private static partial Regex LogMessage();
}
