using SdServerless.LocalAws.Emulators;
using SdServerless.LocalAws.Templates;

namespace SdServerless.Tools.Tests.LocalAws;

public class CloudFormationTemplateTests
{
    [Fact]
    public void ServerlessTemplateExpandsOneQueueDeadLetterQueueAndSubscriptionPerRuntime()
    {
        var template = CloudFormationTemplate.Load(RepositoryLayout.ServerlessTemplate, StackIdentity.Local,
            new Dictionary<string, string> { ["Runtimes"] = "sd15,sd-turbo" });

        var ids = template.Resources.Select(r => r.LogicalId).ToHashSet();
        Assert.Contains("RuntimeQueuesd15", ids);
        Assert.Contains("RuntimeQueuesdturbo", ids);
        Assert.Contains("RuntimeDeadLetterQueuesdturbo", ids);
        Assert.Contains("RuntimeSubscriptionsdturbo", ids);
        var queue = template.Resources.Single(r => r.LogicalId == "RuntimeQueuesdturbo");
        Assert.Contains("RuntimeDeadLetterQueuesdturbo", queue.Dependencies);
    }

    [Fact]
    public void ResourcesComeAfterWhatTheyReferTo()
    {
        var template = CloudFormationTemplate.Load(RepositoryLayout.ServerlessTemplate, StackIdentity.Local);
        var order = template.Resources.Select(r => r.LogicalId).ToList();

        foreach (var resource in template.Resources)
        {
            foreach (var dependency in resource.Dependencies.Where(order.Contains))
            {
                Assert.True(order.IndexOf(dependency) < order.IndexOf(resource.LogicalId), $"{dependency} must come before {resource.LogicalId}");
            }
        }
    }

    [Fact]
    public void ShortFormIntrinsicsBecomeTheirLongForm()
    {
        var root = TemplateYaml.Parse("a: !GetAtt Queue.Arn\nb: !Sub '${AWS::StackName}-x'\nc: !Ref Thing\n", "inline");

        Assert.Equal(new List<object?> { "Queue", "Arn" }, ((Dictionary<string, object?>)root["a"]!)["Fn::GetAtt"]);
        Assert.Equal("${AWS::StackName}-x", ((Dictionary<string, object?>)root["b"]!)["Fn::Sub"]);
        Assert.Equal("Thing", ((Dictionary<string, object?>)root["c"]!)["Ref"]);
    }

    [Fact]
    public void BrokenReferenceIsAnErrorNamingTheResource()
    {
        const string text = """
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  RedrivePolicy:
                    deadLetterTargetArn: !GetAtt Missing.Arn
            """;

        var error = Assert.Throws<TemplateException>(() => CloudFormationTemplate.Parse(text, "broken.yaml", StackIdentity.Local));

        Assert.Contains("'Queue'", error.Message);
        Assert.Contains("'Missing'", error.Message);
    }

    [Fact]
    public void SubResolvesParametersPseudoParametersAndAttributes()
    {
        const string text = """
            Parameters:
              Suffix:
                Type: String
                Default: dev
            Resources:
              Queue:
                Type: AWS::SQS::Queue
            """;
        var template = CloudFormationTemplate.Parse(text, "sub.yaml", StackIdentity.Local);
        var evaluator = template.Evaluator(_ => "queue-url", (_, attribute) => $"attr-{attribute}");

        var value = evaluator.Evaluate(new Dictionary<string, object?> { ["Fn::Sub"] = "${AWS::StackName}-${Suffix}-${Queue.Arn}-${Queue}-${!Literal}" });

        Assert.Equal("sdserverless-dev-attr-Arn-queue-url-${Literal}", value);
    }
}
