using SdServerless.Aws;
using SdServerless.Contracts.Runtimes;
using SdServerless.LocalAws.Templates;

namespace SdServerless.AppHost;

/// <summary>The local AWS emulators as Aspire resources, and the names services use to reach what runs in them.</summary>
public sealed record LocalAwsResources(
    IResourceBuilder<IResourceWithWaitSupport> Messaging,
    IResourceBuilder<IResourceWithWaitSupport> DynamoDb,
    AwsConnection Connection,
    CloudFormationTemplate Template,
    RuntimeCatalog Catalog,
    string CatalogPath,
    IReadOnlyDictionary<string, LocalRuntime> Added,
    bool PublishMode)
{
    public IReadOnlyList<string> Runtimes => Catalog.Names;
}
