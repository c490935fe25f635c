using SdServerless.LocalAws.Templates;

namespace SdServerless.LocalAws.Iam;

/// <summary>
/// What <c>Ref</c> and <c>Fn::GetAtt</c> return for a template's resources once created in its stack's account and
/// region, for the types policies refer to (topics, queues, buckets, tables, log groups, roles, functions, AppSync
/// Events APIs and their channel namespaces). Other
/// resources answer a placeholder naming them, which no recorded call can match.
/// </summary>
public sealed class TemplateArns(CloudFormationTemplate template, Func<IntrinsicEvaluator> evaluator)
{
    private StackIdentity Stack => template.Stack;

    public object? Ref(string logicalId)
    {
        var resource = Find(logicalId);
        return resource.Type switch
        {
            "AWS::SNS::Topic" => $"arn:{Stack.Partition}:sns:{Stack.Region}:{Stack.AccountId}:{Name(resource, "TopicName")}",
            "AWS::SQS::Queue" => $"https://sqs.{Stack.Region}.amazonaws.com/{Stack.AccountId}/{Name(resource, "QueueName")}",
            "AWS::S3::Bucket" => Name(resource, "BucketName"),
            "AWS::DynamoDB::Table" => Name(resource, "TableName"),
            "AWS::Logs::LogGroup" => Name(resource, "LogGroupName"),
            "AWS::IAM::Role" => Name(resource, "RoleName"),
            "AWS::Serverless::Function" or "AWS::Lambda::Function" => Name(resource, "FunctionName"),
            "AWS::AppSync::Api" => Attribute(logicalId, "ApiArn"),
            "AWS::AppSync::ChannelNamespace" => Attribute(logicalId, "ChannelNamespaceArn"),
            _ => $"<{logicalId}>",
        };
    }

    public object? Attribute(string logicalId, string attribute)
    {
        var resource = Find(logicalId);
        return (resource.Type, attribute) switch
        {
            ("AWS::SNS::Topic", "TopicArn") => Ref(logicalId),
            ("AWS::SNS::Topic", "TopicName") => Name(resource, "TopicName"),
            ("AWS::SQS::Queue", "Arn") => $"arn:{Stack.Partition}:sqs:{Stack.Region}:{Stack.AccountId}:{Name(resource, "QueueName")}",
            ("AWS::SQS::Queue", "QueueName") => Name(resource, "QueueName"),
            ("AWS::SQS::Queue", "QueueUrl") => Ref(logicalId),
            ("AWS::S3::Bucket", "Arn") => $"arn:{Stack.Partition}:s3:::{Name(resource, "BucketName")}",
            ("AWS::DynamoDB::Table", "Arn") => $"arn:{Stack.Partition}:dynamodb:{Stack.Region}:{Stack.AccountId}:table/{Name(resource, "TableName")}",
            ("AWS::Logs::LogGroup", "Arn") => $"arn:{Stack.Partition}:logs:{Stack.Region}:{Stack.AccountId}:log-group:{Name(resource, "LogGroupName")}:*",
            ("AWS::IAM::Role", "Arn") => $"arn:{Stack.Partition}:iam::{Stack.AccountId}:role/{Name(resource, "RoleName")}",
            ("AWS::Serverless::Function" or "AWS::Lambda::Function", "Arn") =>
                $"arn:{Stack.Partition}:lambda:{Stack.Region}:{Stack.AccountId}:function:{Name(resource, "FunctionName")}",
            // An Events API's id is generated; locally it is named as CloudFormation names what has no name property.
            ("AWS::AppSync::Api", "ApiId") => LocalApiId(logicalId),
            ("AWS::AppSync::Api", "ApiArn") => $"arn:{Stack.Partition}:appsync:{Stack.Region}:{Stack.AccountId}:apis/{LocalApiId(logicalId)}",
            ("AWS::AppSync::ChannelNamespace", "ChannelNamespaceArn") =>
                $"arn:{Stack.Partition}:appsync:{Stack.Region}:{Stack.AccountId}:apis/{evaluator().EvaluateString(resource.Properties["ApiId"], $"{logicalId}.ApiId")}/channelNamespace/{Name(resource, "Name")}",
            _ => $"<{logicalId}.{attribute}>",
        };
    }

    /// <summary>The id an AppSync API of this template has locally (<c>{stack}-{logicalId}</c>), which services name it by in recorded calls.</summary>
    public string LocalApiId(string logicalId) => $"{Stack.StackName}-{logicalId}";

    private TemplateResource Find(string logicalId) =>
        template.Resources.FirstOrDefault(r => r.LogicalId == logicalId) ?? throw new TemplateException($"The template has no resource '{logicalId}'.");

    /// <summary>The resource's name property, or the name CloudFormation generates without one (stack name and logical id).</summary>
    private string Name(TemplateResource resource, string property) =>
        resource.Properties.TryGetValue(property, out var value) && value is not null
            ? evaluator().EvaluateString(value, $"{resource.LogicalId}.{property}")
            : $"{Stack.StackName}-{resource.LogicalId}";
}
