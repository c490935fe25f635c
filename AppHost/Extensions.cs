using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SdServerless.Aws;
using SdServerless.Contracts.Runtimes;
using SdServerless.LocalAws.Provisioning;
using SdServerless.LocalAws.Templates;

namespace SdServerless.AppHost;

public static class Extensions
{
    /// <summary>Fixed local ports, so tools and docs can name them: SQS, SNS and S3 on 4566, DynamoDB on 4567 (settings LocalAws:MessagingPort and LocalAws:DynamoDbPort).</summary>
    public const int DefaultMessagingPort = 4566;
    public const int DefaultDynamoDbPort = 4567;

    /// <summary>
    /// The AWS emulators: by default fauxqs (SQS, SNS, S3) and dynalite (DynamoDB) from npm, run on the Node pinned in
    /// tools/emulators; with <c>LocalAws:Emulator=localstack</c>, one LocalStack container for all four services.
    /// </summary>
    public static LocalAwsResources AddLocalAws(this IDistributedApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("LocalAws");
        var added = builder.Configuration.GetSection("LocalRuntimes").Get<Dictionary<string, LocalRuntime>>() ?? [];
        var catalog = LocalRuntimeCatalog.Build(Path.Combine(builder.AppHostDirectory, "..", RuntimeCatalog.FileName), added);
        var catalogPath = LocalRuntimeCatalog.Write(catalog, Path.Combine(builder.AppHostDirectory, "obj", "local"));
        var runtimes = catalog.Names;
        var template = CloudFormationTemplate.Load(
            Path.Combine(builder.AppHostDirectory, "..", "serverless.template"),
            StackIdentity.Local,
            new Dictionary<string, string> { ["Runtimes"] = string.Join(",", runtimes) });

        var messagingPort = settings.GetValue("MessagingPort", DefaultMessagingPort);
        var dynamoDbPort = settings.GetValue("DynamoDbPort", DefaultDynamoDbPort);
        var messagingUrl = new Uri($"http://127.0.0.1:{messagingPort}");
        if (string.Equals(settings["Emulator"], "localstack", StringComparison.OrdinalIgnoreCase))
        {
            var localstack = builder.AddContainer("aws", "localstack/localstack", settings["LocalStackImageTag"] ?? "4.9.2")
                .WithEnvironment("SERVICES", "sqs,sns,s3,dynamodb")
                .WithHttpEndpoint(port: messagingPort, targetPort: 4566, isProxied: false)
                .WithHttpHealthCheck("/_localstack/health");
            return new LocalAwsResources(localstack, localstack,
                AwsConnection.ForEmulators(messagingUrl, messagingUrl, template.Stack.Region), template, catalog, catalogPath, added, builder.ExecutionContext.IsPublishMode);
        }

        var tools = Path.Combine(builder.AppHostDirectory, "..", "tools", "emulators");
        var messaging = builder.AddExecutable("aws", "bash", tools, "run.sh", "fauxqs", "--port", messagingPort.ToString())
            .WithHttpEndpoint(port: messagingPort, targetPort: messagingPort, isProxied: false)
            .WithHttpHealthCheck("/health");
        var dynamoDb = builder.AddExecutable("dynamodb", "bash", tools, "run.sh", "dynalite", "--port", dynamoDbPort.ToString())
            .WithHttpEndpoint(port: dynamoDbPort, targetPort: dynamoDbPort, isProxied: false)
            .WithHttpHealthCheck("/");
        return new LocalAwsResources(messaging, dynamoDb,
            AwsConnection.ForEmulators(messagingUrl, new Uri($"http://127.0.0.1:{dynamoDbPort}"), template.Stack.Region), template, catalog, catalogPath, added, builder.ExecutionContext.IsPublishMode);
    }

    /// <summary>Endpoints, region, emulator credentials and the template's function environment, resolved to local names; waits for the emulators.</summary>
    public static IResourceBuilder<T> WithLocalAws<T>(this IResourceBuilder<T> resource, LocalAwsResources aws)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        foreach (var (name, value) in aws.Connection.ToEnvironment())
        {
            resource.WithEnvironment(name, value);
        }
        foreach (var (name, value) in FunctionEnvironment.Resolve(aws.Template, aws.Connection))
        {
            resource.WithEnvironment(name, value);
        }
        if (!aws.PublishMode)
        {
            // A path on this machine: left out of the published manifest, whose services read their own copy.
            resource.WithEnvironment("RuntimeCatalog__Path", aws.CatalogPath);
        }
        return resource.WaitFor(aws.Messaging).WaitFor(aws.DynamoDb);
    }

    /// <summary>The runtime a worker serves, its queues' URLs (one per priority), and for a local A1111 or ComfyUI runtime the server it drives.</summary>
    public static IResourceBuilder<T> WithRuntimeQueue<T>(this IResourceBuilder<T> resource, LocalAwsResources aws, string runtime)
        where T : IResourceWithEnvironment
    {
        var queues = LocalProvisioner.Names(aws.Template, aws.Connection);
        var suffix = ForEachExpander.AlphanumericOnly(runtime);
        resource
            .WithEnvironment("Worker__Runtime", runtime)
            .WithEnvironment("Worker__QueueUrl", queues["RuntimeQueue" + suffix].Ref)
            .WithEnvironment("Worker__HighQueueUrl", queues["RuntimeHighQueue" + suffix].Ref)
            .WithEnvironment("Worker__LowQueueUrl", queues["RuntimeLowQueue" + suffix].Ref);
        if (aws.Added.TryGetValue(runtime, out var local))
        {
            switch (local.Type)
            {
                case RuntimeTypes.A1111:
                    resource.WithEnvironment("A1111__BaseUrl", local.Url ?? "http://127.0.0.1:7860");
                    break;
                case RuntimeTypes.ComfyUi:
                    resource.WithEnvironment("ComfyUi__BaseUrl", local.Url ?? "http://127.0.0.1:8188");
                    break;
                case RuntimeTypes.Onnx when local.ModelPath is { Length: > 0 } model:
                    resource.WithEnvironment("Worker__Model", Path.GetFullPath(model));
                    break;
                case RuntimeTypes.Onnx when local.TinyModel is { Length: > 0 } variant:
                    resource.WithEnvironment("Diffusion__TinyModelVariant", variant);
                    break;
            }
        }
        return resource;
    }

    /// <summary>
    /// Where the local workers run the engine: <c>GpuWorker:ExecutionProvider</c>, <c>cpu</c> unless set (a worker
    /// configured for <c>cuda</c> refuses to start without it, so local runs say <c>cpu</c> explicitly).
    /// </summary>
    public static IResourceBuilder<T> WithExecutionProviderFromSettings<T>(this IResourceBuilder<T> resource, IConfiguration configuration)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment("Diffusion__ExecutionProvider", configuration["GpuWorker:ExecutionProvider"] is { Length: > 0 } provider ? provider : "cpu");

    /// <summary>
    /// The model the default worker loads: <c>GpuWorker:Model</c>, a local optimum-layout ONNX folder or an
    /// <c>s3://...</c> prefix in the local bucket; unset means the tiny random model.
    /// </summary>
    public static IResourceBuilder<T> WithModelFromSettings<T>(this IResourceBuilder<T> resource, IConfiguration configuration)
        where T : IResourceWithEnvironment
    {
        if (configuration["GpuWorker:Model"] is { Length: > 0 } model)
        {
            resource.WithEnvironment("Worker__Model", model.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) ? model : Path.GetFullPath(model));
        }
        return resource;
    }

    /// <summary>
    /// Lists the web console among the Functions app's URLs in the dashboard and prints it once the app is ready, so a
    /// newcomer can open it without reading the docs.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithWebConsole(this IResourceBuilder<ProjectResource> functions)
    {
        functions.WithUrlForEndpoint("http", endpoint => new ResourceUrlAnnotation { Url = "/console/", DisplayText = "Web console" });
        return functions.OnResourceReady((resource, ready, _) =>
        {
            var http = resource.GetEndpoint("http");
            ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SdServerless.AppHost")
                .LogInformation("Web console: {ConsoleUrl} (API key {ApiKey})", $"{http.Url}/console/", "local-dev-key");
            return Task.CompletedTask;
        });
    }
}
