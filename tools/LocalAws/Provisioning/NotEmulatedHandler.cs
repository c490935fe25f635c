namespace SdServerless.LocalAws.Provisioning;

/// <summary>
/// Resource types that have a local counterpart other than an emulated AWS resource (functions run as AppHost projects,
/// HTTP APIs are the app's own Kestrel endpoint), or that only matter on AWS (IAM, log groups and metric filters, alarms, queue policies, the AppSync Events API of task channels).
/// They are recognised, so references to them resolve, and nothing is created.
/// </summary>
public sealed class NotEmulatedHandler(string type) : IResourceHandler
{
    public static readonly string[] Types =
    [
        "AWS::Serverless::Function", "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::Serverless::LayerVersion",
        "AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::Lambda::EventSourceMapping", "AWS::Lambda::LayerVersion",
        "AWS::ApiGateway::ApiKey", "AWS::ApiGateway::UsagePlan", "AWS::ApiGateway::UsagePlanKey", "AWS::ApiGateway::RestApi",
        "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment", "AWS::ApiGateway::Account",
        "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
        "AWS::Logs::LogGroup", "AWS::Logs::MetricFilter", "AWS::CloudWatch::Alarm", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy",
        "AWS::SecretsManager::Secret", "AWS::SSM::Parameter",
        // The task channel's Events API: tests that need it start the appsync-events emulator themselves.
        "AWS::AppSync::Api", "AWS::AppSync::ChannelNamespace",
    ];

    public string Type { get; } = type;

    public LocalResource Identify(string logicalId, Dictionary<string, object?> properties, ProvisioningContext context) =>
        new(logicalId, Type, logicalId, new Dictionary<string, string>
        {
            ["Arn"] = $"arn:{context.Stack.Partition}:local:{context.Stack.Region}:{context.Stack.AccountId}:{logicalId}",
        }, Emulated: false);

    public Task<string> ProvisionAsync(LocalResource resource, Dictionary<string, object?> properties, ProvisioningContext context, CancellationToken cancellationToken) =>
        Task.FromResult("not emulated");
}
