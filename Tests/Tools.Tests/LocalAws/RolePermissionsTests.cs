using SdServerless.Aws.Recording;
using SdServerless.LocalAws.Iam;
using SdServerless.LocalAws.Templates;

namespace SdServerless.Shared.Tests.LocalAws;

public class RolePermissionsTests
{
    private const string Template = """
        Parameters:
          Prefix:
            Type: String
            Default: outputs
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub "${AWS::StackName}-bucket"
          Queue:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !Sub "${AWS::StackName}-work"
          Table:
            Type: AWS::DynamoDB::Table
          Role:
            Type: AWS::IAM::Role
            Properties:
              Policies:
                - PolicyName: main
                  PolicyDocument:
                    Statement:
                      - Sid: Objects
                        Effect: Allow
                        Action: s3:*Object
                        Resource: !Sub "${Bucket.Arn}/${Prefix}/*"
                      - Sid: NoSecrets
                        Effect: Deny
                        Action: s3:GetObject
                        Resource: !Sub "${Bucket.Arn}/${Prefix}/secret-*"
                      - Sid: List
                        Effect: Allow
                        Action: s3:ListBucket
                        Resource: !GetAtt Bucket.Arn
                        Condition:
                          StringLike:
                            s3:prefix: models/*
                      - Sid: Items
                        Effect: Allow
                        Action: [dynamodb:GetItem]
                        Resource: !GetAtt Table.Arn
                      - Sid: Imported
                        Effect: Allow
                        Action: sns:Publish
                        Resource: { "Fn::ImportValue": !Sub "${AWS::StackName}-Topic" }
          Attached:
            Type: AWS::IAM::Policy
            Properties:
              PolicyName: attached
              Roles: [!Ref Role]
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: sqs:ReceiveMessage
                    Resource: !GetAtt Queue.Arn
        """;

    private static readonly RolePermissions Role = new TemplateRoles(
        CloudFormationTemplate.Parse(Template, "roles.yaml", StackIdentity.Local),
        new Dictionary<string, string> { ["sdserverless-Topic"] = "arn:aws:sns:us-east-1:000000000000:topic" }).For("Role");

    private static AwsCall Call(string action, string resource, params (string Key, string Value)[] context) =>
        new("test", action, resource, context.ToDictionary(c => c.Key, c => c.Value));

    [Theory]
    [InlineData("s3:GetObject", "arn:aws:s3:::sdserverless-bucket/outputs/a/b.png", true)]
    [InlineData("S3:putobject", "arn:aws:s3:::sdserverless-bucket/outputs/x", true)]
    [InlineData("s3:GetObject", "arn:aws:s3:::sdserverless-bucket/payloads/x.json", false)]
    [InlineData("s3:GetObject", "arn:aws:s3:::sdserverless-bucket/outputs/secret-1", false)]
    [InlineData("s3:PutObject", "arn:aws:s3:::sdserverless-bucket/outputs/secret-1", true)]
    [InlineData("s3:DeleteObjects", "arn:aws:s3:::sdserverless-bucket/outputs/x", false)]
    [InlineData("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:000000000000:table/sdserverless-Table", true)]
    [InlineData("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:000000000000:table/sdserverless-Table", false)]
    [InlineData("sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:000000000000:sdserverless-work", true)]
    [InlineData("sns:Publish", "arn:aws:sns:us-east-1:000000000000:topic", true)]
    public void CallsAreDecidedByWildcardsSubstitutionsAndAnExplicitDeny(string action, string resource, bool allowed) =>
        Assert.Equal(allowed, Role.Decide(Call(action, resource)).Allowed);

    [Fact]
    public void AnExplicitDenyNamesItsStatement()
    {
        var decision = Role.Decide(Call("s3:GetObject", "arn:aws:s3:::sdserverless-bucket/outputs/secret-1"));

        Assert.False(decision.Allowed);
        Assert.Equal("Role/main#NoSecrets", decision.DecidedBy!.Source);
    }

    [Fact]
    public void ConditionsTestTheCallsContextKeys()
    {
        const string bucket = "arn:aws:s3:::sdserverless-bucket";

        Assert.True(Role.Decide(Call("s3:ListBucket", bucket, ("s3:prefix", "models/sd/"))).Allowed);
        Assert.False(Role.Decide(Call("s3:ListBucket", bucket, ("s3:prefix", "outputs/"))).Allowed);
        Assert.False(Role.Decide(Call("s3:ListBucket", bucket)).Allowed);
    }

    [Fact]
    public void UnusedGrantsAreTheAllowedPairsNoCallFellUnder()
    {
        var unused = Role.Unused([Call("s3:GetObject", "arn:aws:s3:::sdserverless-bucket/outputs/a.png")]);

        Assert.DoesNotContain(unused, u => u.StartsWith("Role/main#Objects", StringComparison.Ordinal));
        Assert.Contains(unused, u => u.StartsWith("Role/main#Items: dynamodb:GetItem", StringComparison.Ordinal));
        Assert.Contains(unused, u => u.StartsWith("Attached#0: sqs:ReceiveMessage", StringComparison.Ordinal));
    }

    [Fact]
    public void ASamFunctionWithoutARoleGetsItsInlineStatements()
    {
        var template = CloudFormationTemplate.Parse("""
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: tasks
              Function:
                Type: AWS::Serverless::Function
                Properties:
                  Policies:
                    - Statement:
                        - Effect: Allow
                          Action: sns:Publish
                          Resource: !Ref Topic
            """, "function.yaml", StackIdentity.Local);

        var function = new TemplateRoles(template).For("Function");

        Assert.True(function.Decide(Call("sns:Publish", "arn:aws:sns:us-east-1:000000000000:tasks")).Allowed);
        Assert.False(function.Decide(Call("sns:Publish", "arn:aws:sns:us-east-1:000000000000:results")).Allowed);
    }
}
