namespace SdServerless.Infrastructure.Tests.Templates;

/// <summary>The validator finds each kind of mistake it promises to find, and accepts the forms CloudFormation accepts.</summary>
public sealed class TemplateValidatorTests(InfraTools tools) : IClassFixture<InfraTools>
{
    private const string Header = """
        AWSTemplateFormatVersion: "2010-09-09"
        Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
        Parameters:
          Runtimes:
            Type: CommaDelimitedList
            Default: "sdruntime,sdxl-turbo"
        Resources:

        """;

    private readonly TemplateValidator validator = new(tools);

    [Fact]
    public async Task AcceptsForEachQueuesWithDeadLetterQueuesAndSamFunction()
    {
        var errors = await validator.ErrorsOfAsync(Header + """
              Fn::ForEach::Queues:
                - Runtime
                - !Ref Runtimes
                - Queue&{Runtime}:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !Sub "${AWS::StackName}-${Runtime}"
                      RedrivePolicy:
                        deadLetterTargetArn: !GetAtt DeadLetters&{Runtime}.Arn
                        maxReceiveCount: 5
                  DeadLetters&{Runtime}:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !Sub "${AWS::StackName}-${Runtime}-dlq"
              Callback:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: Functions/
                  Handler: bootstrap
                  Runtime: provided.al2023
                  Events:
                    Results:
                      Type: SQS
                      Properties:
                        Queue: !GetAtt Queuesdxlturbo.Arn
                        FunctionResponseTypes: [ReportBatchItemFailures]
            Outputs:
              CallbackRole:
                Value: !GetAtt CallbackRole.Arn
            """);

        Assert.Empty(errors);
    }

    [Fact]
    public async Task ReportsUnknownAndMissingRequiredProperties()
    {
        var errors = await validator.ErrorsOfAsync(Header + """
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicNam: tasks
              Subscription:
                Type: AWS::SNS::Subscription
                Properties:
                  Protocol: sqs
            """);

        Assert.Contains(errors, e => e.StartsWith("Resources.Topic.Properties.TopicNam: unknown property", StringComparison.Ordinal));
        Assert.Contains("Resources.Subscription.Properties: required property 'TopicArn' is missing", errors);
    }

    [Fact]
    public async Task ReportsWrongValueShapesInNestedPropertyTypes()
    {
        var errors = await validator.ErrorsOfAsync(Header + """
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: [PAY_PER_REQUEST]
                  KeySchema: [{ AttributeName: id, KeyType: HASH }]
                  TimeToLiveSpecification: { Enabled: maybe }
                  AttributeDefinitions:
                    - AttributeName: id
                      AttributeTyp: S
            """);

        Assert.Contains("Resources.Table.Properties.BillingMode: expected a string", errors);
        Assert.Contains("Resources.Table.Properties.TimeToLiveSpecification.Enabled: expected a boolean", errors);
        Assert.Contains(errors, e => e.StartsWith("Resources.Table.Properties.AttributeDefinitions[0].AttributeTyp: unknown property", StringComparison.Ordinal));
        Assert.Contains("Resources.Table.Properties.AttributeDefinitions[0]: required property 'AttributeType' is missing", errors);
    }

    [Fact]
    public async Task ReportsReferencesToThingsThatDoNotExist()
    {
        var errors = await validator.ErrorsOfAsync(Header + """
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub "${AWS::StackName}-${Missing}-${Queue.Nope}"
              Policy:
                Type: AWS::SQS::QueuePolicy
                DependsOn: Ghost
                Properties:
                  Queues: [!Ref Nothing]
                  PolicyDocument:
                    Statement:
                      - Effect: Allow
                        Resource: !GetAtt Queue.Arnn
            Outputs:
              Url:
                Value: !If [NoSuchCondition, !Ref Queue, !Ref AWS::NoValue]
            """);

        Assert.Contains(errors, e => e.Contains("${Missing} is not a parameter, resource, variable or pseudo parameter", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("AWS::SQS::Queue 'Queue' has no attribute 'Nope'", StringComparison.Ordinal));
        Assert.Contains("Resources.Policy.DependsOn: resource 'Ghost' does not exist", errors);
        Assert.Contains("Resources.Policy.Properties.Queues[0].Ref: 'Nothing' is not a parameter, resource or pseudo parameter", errors);
        Assert.Contains("Resources.Policy.Properties.PolicyDocument.Statement[0].Resource.Fn::GetAtt: AWS::SQS::Queue 'Queue' has no attribute 'Arnn'", errors);
        Assert.Contains("Outputs.Url.Value.Fn::If[0]: condition 'NoSuchCondition' does not exist", errors);
    }

    [Fact]
    public async Task ForEachStripsNonAlphanumericsFromAmpersandIdentifiersAndSubstitutesRefs()
    {
        using var temp = new TempDirectory();
        var file = temp.Write("loops.yaml", Header + """
              Fn::ForEach::Topics:
                - Runtime
                - !Ref Runtimes
                - Topic&{Runtime}:
                    Type: AWS::SNS::Topic
                    Properties:
                      TopicName: !Ref Runtime
            """);

        var expanded = await validator.ExpandAsync(file);

        var resources = expanded["Resources"]!.AsObject();
        Assert.Equal(["Topicsdruntime", "Topicsdxlturbo"], resources.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal("sdxl-turbo", (string?)resources["Topicsdxlturbo"]!["Properties"]!["TopicName"]);
    }

    [Fact]
    public async Task ReportsLoopsThatProduceTheSameLogicalIdTwice()
    {
        var errors = await validator.ErrorsOfAsync(Header + """
              Fn::ForEach::Topics:
                - Runtime
                - [a-b, ab]
                - Topic&{Runtime}:
                    Type: AWS::SNS::Topic
            """);

        Assert.Contains(errors, e => e.Contains("'Topicab' is produced twice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChecksSamResourcesAgainstTheShapesWeUse()
    {
        var errors = await validator.ErrorsOfAsync(Header + """
              Api:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: Functions/
                  Handler: bootstrap
                  Runtime: provided.al2023
                  MemorySize: lots
                  Timout: 30
                  Events:
                    Tasks:
                      Type: SQS
                      Properties:
                        BatchSize: 10
                    Ticks:
                      Type: Cron
              Machine:
                Type: AWS::Serverless::StateMachine
            """);

        Assert.Contains("Resources.Api.Properties.MemorySize: expected an integer", errors);
        Assert.Contains(errors, e => e.StartsWith("Resources.Api.Properties.Timout: unknown property", StringComparison.Ordinal));
        Assert.Contains("Resources.Api.Properties.Events.Tasks.Properties: required property 'Queue' is missing", errors);
        Assert.Contains(errors, e => e.StartsWith("Resources.Api.Properties.Events.Ticks.Type: 'Cron' is not one of", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Resources.Machine.Type: AWS::Serverless::StateMachine is not one of the SAM resource shapes we use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GlobalsSupplyRequiredSamPropertiesAndAreCheckedThemselves()
    {
        var errors = await validator.ErrorsOfAsync("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                CodeUri: Functions/
                Tracing: Active
                Timeoutt: 3
            Resources:
              Status:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: bootstrap
                  Runtime: provided.al2023
            """);

        Assert.Equal([errors.Single(e => e.StartsWith("Globals.Function.Timeoutt: unknown property", StringComparison.Ordinal))], errors);
    }

    [Fact]
    public async Task ReportsUnknownResourceTypesAndMissingTransforms()
    {
        var errors = await validator.ErrorsOfAsync("""
            Resources:
              Fn::ForEach::Things:
                - Name
                - [a]
                - Thing${Name}:
                    Type: AWS::SQS::Queues
              Worker:
                Type: AWS::Serverless::Function
                Properties:
                  InlineCode: x
            """);

        Assert.Contains("Transform: Fn::ForEach needs the AWS::LanguageExtensions transform", errors);
        Assert.Contains("Resources.Thinga.Type: 'AWS::SQS::Queues' is not a resource type in the CloudFormation specification", errors);
        Assert.Contains("Resources.Worker.Type: AWS::Serverless::Function needs the AWS::Serverless-2016-10-31 transform", errors);
    }

    [Fact]
    public async Task ChecksParameterDefaultsAgainstTheirPatterns()
    {
        var errors = await validator.ErrorsOfAsync("""
            Parameters:
              Runtimes:
                Type: CommaDelimitedList
                Default: "sdruntime,SD_XL"
                AllowedPattern: "[a-z0-9-]+"
              Size:
                Type: Integr
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            """);

        Assert.Contains("Parameters.Runtimes.Default: 'SD_XL' does not match AllowedPattern", errors);
        Assert.Contains("Parameters.Size.Type: 'Integr' is not a CloudFormation parameter type", errors);
    }
}
