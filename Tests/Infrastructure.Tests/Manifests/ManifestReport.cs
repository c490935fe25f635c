namespace SdServerless.Infrastructure.Tests.Manifests;

public sealed record ManifestReport(int Documents, IReadOnlyList<string> Errors, IReadOnlyList<ManifestObject> Objects);

public sealed record ManifestObject(string ApiVersion, string Kind, string? Namespace, string Name);
