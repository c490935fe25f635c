using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using SdServerless.Aws;
using SdServerless.Aws.Sns;
using SdServerless.LocalAws.Templates;

namespace SdServerless.LocalAws.Provisioning;

/// <summary>The clients and identity that resource handlers work with.</summary>
public sealed class ProvisioningContext(AwsConnection connection, StackIdentity stack, HttpClient http) : IDisposable
{
    private readonly Lazy<IAmazonSQS> _sqs = new(connection.CreateSqsClient);
    private readonly Lazy<IAmazonS3> _s3 = new(connection.CreateS3Client);
    private readonly Lazy<IAmazonDynamoDB> _dynamoDb = new(connection.CreateDynamoDbClient);
    private readonly Lazy<SnsClient> _sns = new(() => connection.CreateSnsClient(http));

    public AwsConnection Connection { get; } = connection;

    public StackIdentity Stack { get; } = stack;

    public IAmazonSQS Sqs => _sqs.Value;

    public IAmazonS3 S3 => _s3.Value;

    public IAmazonDynamoDB DynamoDb => _dynamoDb.Value;

    public SnsClient Sns => _sns.Value;

    public void Dispose()
    {
        if (_sqs.IsValueCreated) _sqs.Value.Dispose();
        if (_s3.IsValueCreated) _s3.Value.Dispose();
        if (_dynamoDb.IsValueCreated) _dynamoDb.Value.Dispose();
    }
}
