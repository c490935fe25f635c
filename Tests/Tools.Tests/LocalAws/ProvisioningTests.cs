using Microsoft.Extensions.Logging.Abstractions;
using SdServerless.LocalAws.Emulators;
using SdServerless.LocalAws.Provisioning;
using SdServerless.LocalAws.Templates;
using SdServerless.TestSupport;

namespace SdServerless.Tools.Tests.LocalAws;

public class ProvisioningTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    [Fact]
    public async Task ProvisioningTwiceChangesNothing()
    {
        var first = fixture.Stack.Resources;
        var second = await ProvisionAsync(fixture.Stack.Template);

        Assert.True(first.ChangedAnything);
        Assert.All(second.Resources, r => Assert.Contains(r.Outcome, new[] { "unchanged", "not emulated" }));
        Assert.Equal(first.Resources.Select(r => r.Resource.Ref), second.Resources.Select(r => r.Resource.Ref));
    }

    [Fact]
    public async Task ProvisionedQueueCarriesTheTemplatesRedrivePolicy()
    {
        using var sqs = fixture.Stack.Connection.CreateSqsClient();
        var queue = fixture.Stack.Resources["RuntimeQueuesdruntime"];
        var deadLetter = fixture.Stack.Resources["RuntimeDeadLetterQueuesdruntime"];

        var attributes = await sqs.GetQueueAttributesAsync(queue.Ref, ["All"]);

        Assert.Equal("300", attributes.Attributes["VisibilityTimeout"]);
        Assert.Contains(deadLetter.Attributes["Arn"], attributes.Attributes["RedrivePolicy"]);
    }

    [Fact]
    public async Task UnknownResourceTypeFailsNamingTheResource()
    {
        const string text = """
            Resources:
              Mystery:
                Type: AWS::Made::Up
            """;
        var template = CloudFormationTemplate.Parse(text, "unknown.yaml", StackIdentity.Local);

        var error = await Assert.ThrowsAsync<TemplateException>(() => ProvisionAsync(template));

        Assert.Contains("'Mystery'", error.Message);
        Assert.Contains("AWS::Made::Up", error.Message);
    }

    [Fact]
    public void FunctionEnvironmentResolvesToTheProvisionedNames()
    {
        var environment = FunctionEnvironment.Resolve(fixture.Stack.Template, fixture.Stack.Connection);

        Assert.Equal(fixture.Stack.Resources["TasksTopic"].Ref, environment["Resources__TasksTopicArn"]);
        Assert.Equal(fixture.Stack.Resources["ResultsQueue"].Ref, environment["Resources__ResultsQueueUrl"]);
        Assert.Equal("sdruntime", environment["Resources__Runtimes"]);
    }

    private async Task<ProvisioningReport> ProvisionAsync(CloudFormationTemplate template)
    {
        using var http = new HttpClient();
        using var context = new ProvisioningContext(fixture.Stack.Connection, template.Stack, http);
        return await new LocalProvisioner(context, NullLogger.Instance).ProvisionAsync(template);
    }
}
