using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdServerless.Aws;
using SdServerless.LocalAws.Templates;

namespace SdServerless.LocalAws.Provisioning;

/// <summary>
/// Creates the resources of a template in the local emulators, in dependency order and idempotently: running it
/// again changes nothing. An unknown resource type is an error that names the resource.
/// </summary>
public sealed class LocalProvisioner(ProvisioningContext context, ILogger logger)
{
    private readonly Dictionary<string, IResourceHandler> _handlers = new IResourceHandler[]
        {
            new SnsTopicHandler(), new SqsQueueHandler(), new SnsSubscriptionHandler(), new S3BucketHandler(), new DynamoDbTableHandler(),
        }
        .Concat(NotEmulatedHandler.Types.Select(type => new NotEmulatedHandler(type)))
        .ToDictionary(handler => handler.Type, StringComparer.Ordinal);

    /// <summary>Works out every resource's names without touching the emulators (what the AppHost hands its services).</summary>
    public static IReadOnlyDictionary<string, LocalResource> Names(CloudFormationTemplate template, AwsConnection connection)
    {
        using var http = new HttpClient();
        using var context = new ProvisioningContext(connection, template.Stack, http);
        return new LocalProvisioner(context, NullLogger.Instance).Resolve(template).ToDictionary(r => r.Resource.LogicalId, r => r.Resource);
    }

    /// <summary>Evaluates <paramref name="value"/> (for example a function's environment) with the template's resources resolved to <paramref name="names"/>.</summary>
    public static object? Evaluate(CloudFormationTemplate template, IReadOnlyDictionary<string, LocalResource> names, object? value) =>
        Evaluator(template, names).Evaluate(value);

    public async Task<ProvisioningReport> ProvisionAsync(CloudFormationTemplate template, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<ProvisionedResource>();
        foreach (var (resource, properties) in Resolve(template))
        {
            var outcome = await _handlers[resource.Type].ProvisionAsync(resource, properties, context, cancellationToken);
            logger.LogInformation("{ResourceType} {LogicalId} ({PhysicalId}): {Outcome}", resource.Type, resource.LogicalId, resource.Ref, outcome);
            outcomes.Add(new ProvisionedResource(resource, outcome));
        }
        return new ProvisioningReport(outcomes);
    }

    private List<(LocalResource Resource, Dictionary<string, object?> Properties)> Resolve(CloudFormationTemplate template)
    {
        var resolved = new Dictionary<string, LocalResource>(StringComparer.Ordinal);
        var result = new List<(LocalResource, Dictionary<string, object?>)>();
        var evaluator = Evaluator(template, resolved);
        foreach (var resource in template.Resources)
        {
            if (!_handlers.TryGetValue(resource.Type, out var handler))
            {
                throw new TemplateException(
                    $"Resource '{resource.LogicalId}' has type '{resource.Type}', which local provisioning does not know. " +
                    $"Known types: {string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal))}.");
            }
            var properties = handler is NotEmulatedHandler
                ? resource.Properties
                : evaluator.Evaluate(resource.Properties) as Dictionary<string, object?> ?? [];
            var local = handler.Identify(resource.LogicalId, properties, context);
            resolved[resource.LogicalId] = local;
            result.Add((local, properties));
        }
        return result;
    }

    private static IntrinsicEvaluator Evaluator(CloudFormationTemplate template, IReadOnlyDictionary<string, LocalResource> resources) =>
        template.Evaluator(
            name => resources.TryGetValue(name, out var resource)
                ? resource.Ref
                : throw new TemplateException($"'{name}' is referred to before it is defined."),
            (name, attribute) => resources.TryGetValue(name, out var resource)
                ? resource.Attributes.TryGetValue(attribute, out var value)
                    ? value
                    : throw new TemplateException($"Resource '{name}' ({resource.Type}) has no attribute '{attribute}' locally.")
                : throw new TemplateException($"Fn::GetAtt refers to '{name}', which is not a resource of the template."));
}
