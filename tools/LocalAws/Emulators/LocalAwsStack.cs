using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdServerless.Aws;
using SdServerless.LocalAws.Provisioning;
using SdServerless.LocalAws.Templates;

namespace SdServerless.LocalAws.Emulators;

/// <summary>
/// Both emulators started on free loopback ports and the template's resources created in them: what an integration
/// test needs, started by the test itself.
/// </summary>
public sealed class LocalAwsStack : IAsyncDisposable
{
    private readonly EmulatorProcess _messaging;
    private readonly EmulatorProcess _dynamoDb;

    private LocalAwsStack(EmulatorProcess messaging, EmulatorProcess dynamoDb, CloudFormationTemplate template, ProvisioningReport report)
    {
        _messaging = messaging;
        _dynamoDb = dynamoDb;
        Template = template;
        Resources = report;
        Connection = AwsConnection.ForEmulators(messaging.Endpoint, dynamoDb.Endpoint, template.Stack.Region);
    }

    public AwsConnection Connection { get; }

    public CloudFormationTemplate Template { get; }

    public ProvisioningReport Resources { get; }

    public static async Task<LocalAwsStack> StartAsync(
        IReadOnlyDictionary<string, string>? parameters = null, string? templatePath = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var template = CloudFormationTemplate.Load(templatePath ?? RepositoryLayout.ServerlessTemplate, StackIdentity.Local, parameters);
        var messagingTask = EmulatorProcess.StartAsync("fauxqs", 0, cancellationToken);
        var dynamoTask = EmulatorProcess.StartAsync("dynalite", 0, cancellationToken);
        var messaging = await messagingTask;
        var dynamoDb = await dynamoTask;
        try
        {
            var connection = AwsConnection.ForEmulators(messaging.Endpoint, dynamoDb.Endpoint, template.Stack.Region);
            using var http = new HttpClient();
            using var context = new ProvisioningContext(connection, template.Stack, http);
            var report = await new LocalProvisioner(context, logger ?? NullLogger.Instance).ProvisionAsync(template, cancellationToken);
            return new LocalAwsStack(messaging, dynamoDb, template, report);
        }
        catch
        {
            await messaging.DisposeAsync();
            await dynamoDb.DisposeAsync();
            throw;
        }
    }

    /// <summary>The environment variables a service needs to use this stack: endpoints, region, credentials and the template's function environment.</summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment()
    {
        var variables = new Dictionary<string, string>(Connection.ToEnvironment());
        foreach (var (name, value) in FunctionEnvironment.Resolve(Template, Connection))
        {
            variables[name] = value;
        }
        return variables;
    }

    /// <summary><see cref="ServiceEnvironment"/> as configuration keys (<c>Resources:TasksTable</c>), for hosts built in process.</summary>
    public Dictionary<string, string?> ServiceConfiguration() =>
        ServiceEnvironment().ToDictionary(pair => pair.Key.Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair.Value);

    public async ValueTask DisposeAsync()
    {
        await _messaging.DisposeAsync();
        await _dynamoDb.DisposeAsync();
    }
}
