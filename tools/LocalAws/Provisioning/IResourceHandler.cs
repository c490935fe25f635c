namespace SdServerless.LocalAws.Provisioning;

/// <summary>Creates one CloudFormation resource type in the emulators, idempotently.</summary>
public interface IResourceHandler
{
    string Type { get; }

    /// <summary>The resource's names, worked out from its properties alone, so references resolve before anything exists.</summary>
    LocalResource Identify(string logicalId, Dictionary<string, object?> properties, ProvisioningContext context);

    /// <summary>Creates the resource, or brings an existing one to the template's settings; returns what changed ("created", "updated", "unchanged").</summary>
    Task<string> ProvisionAsync(LocalResource resource, Dictionary<string, object?> properties, ProvisioningContext context, CancellationToken cancellationToken);
}
