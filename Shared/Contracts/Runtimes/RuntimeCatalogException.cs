namespace SdServerless.Contracts.Runtimes;

/// <summary>The runtime catalogue is missing, malformed or names a runtime it does not define.</summary>
public sealed class RuntimeCatalogException(string message) : Exception(message);
