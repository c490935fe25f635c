using SdServerless.Aws.Recording;
using SdServerless.LocalAws.Emulators;
using SdServerless.LocalAws.Iam;
using SdServerless.LocalAws.Templates;

namespace SdServerless.Infrastructure.Tests.Templates;

/// <summary>
/// The task channel's rights (docs/decisions/0337-task-event-channel.md): the callback function publishes, the API
/// and events functions connect and subscribe, and the API function publishes the cancels it makes, each on this
/// stack's Events API only. Decided offline from the template's
/// statements (decision 0311's evaluator).
/// </summary>
public class TaskChannelPermissionTests
{
    private static readonly CloudFormationTemplate Template = CloudFormationTemplate.Load(RepositoryLayout.ServerlessTemplate, StackIdentity.Local);
    private static readonly TemplateRoles Serverless = new(Template);
    private static readonly string Api = $"arn:aws:appsync:{StackIdentity.Local.Region}:{StackIdentity.Local.AccountId}:apis/{StackIdentity.Local.StackName}-TaskChannelApi";

    public static TheoryData<string, string, string, bool> Calls => new()
    {
        { "CallbackFunctionRole", "appsync:EventPublish", Api + "/channelNamespace/tasks", true },
        { "CallbackFunctionRole", "appsync:EventSubscribe", Api + "/channelNamespace/tasks", false },
        { "CallbackFunctionRole", "appsync:EventConnect", Api, false },
        { "CallbackFunctionRole", "appsync:EventPublish", Api + "/channelNamespace/other", false },
        { "ApiFunction", "appsync:EventConnect", Api, true },
        { "ApiFunction", "appsync:EventSubscribe", Api + "/channelNamespace/tasks", true },
        { "ApiFunction", "appsync:EventPublish", Api + "/channelNamespace/tasks", true },
        { "ApiFunction", "appsync:EventPublish", Api + "/channelNamespace/other", false },
        { "ApiFunction", "appsync:EventConnect", "arn:aws:appsync:us-east-1:000000000000:apis/someone-elses", false },
        { "TaskEventsFunction", "appsync:EventConnect", Api, true },
        { "TaskEventsFunction", "appsync:EventSubscribe", Api + "/channelNamespace/tasks", true },
        { "TaskEventsFunction", "appsync:EventPublish", Api + "/channelNamespace/tasks", false },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void EachFunctionHasOnlyItsPartOfTheChannel(string role, string action, string resource, bool allowed) =>
        Assert.Equal(allowed, Serverless.For(role).Decide(new AwsCall("x", action, resource, new Dictionary<string, string>())).Allowed);

    [Fact]
    public void TheEventsApiAuthorizesEveryModeWithIamOnly()
    {
        var api = Template.Resources.Single(r => r.LogicalId == "TaskChannelApi");
        Assert.Equal("AWS::AppSync::Api", api.Type);
        var config = Assert.IsType<Dictionary<string, object?>>(api.Properties["EventConfig"]);
        foreach (var mode in new[] { "AuthProviders", "ConnectionAuthModes", "DefaultPublishAuthModes", "DefaultSubscribeAuthModes" })
        {
            var entries = Assert.IsType<List<object?>>(config[mode]);
            Assert.Equal("AWS_IAM", Assert.IsType<Dictionary<string, object?>>(Assert.Single(entries))["AuthType"]);
        }
    }
}
