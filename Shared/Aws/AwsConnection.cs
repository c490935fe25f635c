using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.SQS;
using SdServerless.Aws.Recording;
using SdServerless.Aws.Sns;

namespace SdServerless.Aws;

/// <summary>
/// Where the AWS services are and who we are to them. On AWS only the region is set and credentials come from the
/// SDK's default chain; locally the AWS SDK's own endpoint variables (<c>AWS_ENDPOINT_URL</c>,
/// <c>AWS_ENDPOINT_URL_SQS</c>, <c>_SNS</c>, <c>_S3</c>, <c>_DYNAMODB</c>) point each service at an emulator.
/// </summary>
public sealed record AwsConnection(
    string Region,
    AWSCredentials Credentials,
    Uri? SqsEndpoint = null,
    Uri? SnsEndpoint = null,
    Uri? S3Endpoint = null,
    Uri? DynamoDbEndpoint = null)
{
    /// <summary>Where the clients record their calls (tests only; see <see cref="AwsCallLog"/>); null records nothing.</summary>
    public AwsCallLog? CallLog { get; init; }

    public static AwsConnection FromEnvironment(Func<string, string?> read)
    {
        var region = read("AWS_REGION") ?? read("AWS_DEFAULT_REGION") ?? "us-east-1";
        var shared = Endpoint(read("AWS_ENDPOINT_URL"));
        return new AwsConnection(
            region,
            StaticCredentials(read) ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(),
            Endpoint(read("AWS_ENDPOINT_URL_SQS")) ?? shared,
            Endpoint(read("AWS_ENDPOINT_URL_SNS")) ?? shared,
            Endpoint(read("AWS_ENDPOINT_URL_S3")) ?? shared,
            Endpoint(read("AWS_ENDPOINT_URL_DYNAMODB")) ?? shared)
        {
            CallLog = AwsCallLog.FromConfiguration(read, region),
        };
    }

    /// <summary>Local emulators: one endpoint for SQS, SNS and S3, one for DynamoDB; any credentials are accepted.</summary>
    public static AwsConnection ForEmulators(Uri messagingAndStorage, Uri dynamoDb, string region = "us-east-1") =>
        new(region, new BasicAWSCredentials("test", "test"), messagingAndStorage, messagingAndStorage, messagingAndStorage, dynamoDb);

    /// <summary>The environment variables that make a process use this connection (credentials only when they are the emulators' fixed ones).</summary>
    public IReadOnlyDictionary<string, string> ToEnvironment()
    {
        var variables = new Dictionary<string, string> { ["AWS_REGION"] = Region };
        Add(variables, "AWS_ENDPOINT_URL_SQS", SqsEndpoint);
        Add(variables, "AWS_ENDPOINT_URL_SNS", SnsEndpoint);
        Add(variables, "AWS_ENDPOINT_URL_S3", S3Endpoint);
        Add(variables, "AWS_ENDPOINT_URL_DYNAMODB", DynamoDbEndpoint);
        if (Credentials is BasicAWSCredentials basic)
        {
            var immutable = basic.GetCredentials();
            variables["AWS_ACCESS_KEY_ID"] = immutable.AccessKey;
            variables["AWS_SECRET_ACCESS_KEY"] = immutable.SecretKey;
        }
        return variables;
    }

    public IAmazonSQS CreateSqsClient() =>
        new AmazonSQSClient(Credentials, Configure(new AmazonSQSConfig(), SqsEndpoint));

    public IAmazonS3 CreateS3Client() =>
        new AmazonS3Client(Credentials, Configure(new AmazonS3Config { ForcePathStyle = S3Endpoint is not null }, S3Endpoint));

    public IAmazonDynamoDB CreateDynamoDbClient() =>
        new AmazonDynamoDBClient(Credentials, Configure(new AmazonDynamoDBConfig(), DynamoDbEndpoint));

    public SnsClient CreateSnsClient(HttpClient http) =>
        new(http, new SnsClientOptions { Region = Region, ServiceUrl = SnsEndpoint }, Credentials, callLog: CallLog);

    private T Configure<T>(T config, Uri? endpoint) where T : ClientConfig
    {
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(Region);
        }
        if (CallLog is not null)
        {
            AwsCallRecordingCustomizer.Watch(config, CallLog);
        }
        return config;
    }

    /// <summary>Keys given through <paramref name="read"/> (which may be configuration rather than the process environment).</summary>
    private static AWSCredentials? StaticCredentials(Func<string, string?> read) =>
        (read("AWS_ACCESS_KEY_ID"), read("AWS_SECRET_ACCESS_KEY"), read("AWS_SESSION_TOKEN")) switch
        {
            ({ Length: > 0 } key, { Length: > 0 } secret, { Length: > 0 } token) => new SessionAWSCredentials(key, secret, token),
            ({ Length: > 0 } key, { Length: > 0 } secret, _) => new BasicAWSCredentials(key, secret),
            _ => null,
        };

    private static Uri? Endpoint(string? value) => string.IsNullOrWhiteSpace(value) ? null : new Uri(value);

    private static void Add(Dictionary<string, string> variables, string name, Uri? endpoint)
    {
        if (endpoint is not null)
        {
            variables[name] = endpoint.ToString().TrimEnd('/');
        }
    }
}
