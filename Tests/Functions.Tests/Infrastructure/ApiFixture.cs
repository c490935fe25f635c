using System.Net.Http.Json;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SdServerless.Aws.TaskStore;
using SdServerless.TestSupport;
using SdServerless.Functions.Tasks.Views;

namespace SdServerless.Functions.Tests.Infrastructure;

/// <summary>
/// The emulators with serverless.template provisioned, and the Functions app in memory configured from them as Lambda
/// would be (not in local dev mode), with two API keys.
/// </summary>
public sealed class ApiFixture : LocalAwsFixture
{
    public const string KeyA = "test-key-alpha-0123456789";
    public const string KeyB = "test-key-bravo-0123456789";

    private WebApplicationFactory<Program>? _factory;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public IAmazonSQS Sqs { get; private set; } = null!;

    public IAmazonS3 S3 { get; private set; } = null!;

    public IAmazonDynamoDB DynamoDb { get; private set; } = null!;

    public TaskTable Tasks => new(DynamoDb, Stack.Resources["TasksTable"].Ref);

    public TaskListing Listing => new(DynamoDb, Stack.Resources["TasksTable"].Ref);

    public string RuntimeQueueUrl => Stack.Resources["RuntimeQueuesdruntime"].Ref;

    public string OutputBucket => Stack.Resources["OutputBucket"].Ref;

    /// <summary>An ONNX runtime (sizes in 64s), an A1111 runtime (sizes in 8s, dynamic models) and a ComfyUI runtime.</summary>
    public static string CatalogPath => Path.Combine(AppContext.BaseDirectory, "runtimes.test.json");

    protected override IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string> { ["Runtimes"] = "sdruntime,sdturbo,comfy" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sqs = Stack.Connection.CreateSqsClient();
        S3 = Stack.Connection.CreateS3Client();
        DynamoDb = Stack.Connection.CreateDynamoDbClient();
        _factory = CreateFactory(new Dictionary<string, string>());
    }

    public override async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        Sqs.Dispose();
        S3.Dispose();
        DynamoDb.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Another instance of the app on the same emulators, with some settings changed.</summary>
    public WebApplicationFactory<Program> CreateFactory(IReadOnlyDictionary<string, string> overrides, Action<IServiceCollection>? services = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            foreach (var (name, value) in Stack.ServiceConfiguration())
            {
                host.UseSetting(name, value);
            }
            host.UseSetting(SdServerless.Contracts.Runtimes.RuntimeCatalog.PathSetting, CatalogPath);
            host.UseSetting("Api:ApiKeys:0", KeyA);
            host.UseSetting("Api:ApiKeys:1", KeyB);
            foreach (var (name, value) in overrides)
            {
                host.UseSetting(name, value);
            }
            if (services is not null)
            {
                host.ConfigureTestServices(services);
            }
        });

    public HttpClient Client(string? apiKey = KeyA)
    {
        var client = Factory.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-api-key", apiKey);
        }
        return client;
    }

    public static JsonContent Json(object body) => JsonContent.Create(body);
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
