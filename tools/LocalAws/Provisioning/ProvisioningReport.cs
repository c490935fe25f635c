namespace SdServerless.LocalAws.Provisioning;

public sealed record ProvisionedResource(LocalResource Resource, string Outcome);

/// <summary>What one provisioning run did to each resource.</summary>
public sealed record ProvisioningReport(IReadOnlyList<ProvisionedResource> Resources)
{
    public bool ChangedAnything => Resources.Any(r => r.Outcome is "created" or "updated");

    public LocalResource this[string logicalId] => Resources.Single(r => r.Resource.LogicalId == logicalId).Resource;
}
