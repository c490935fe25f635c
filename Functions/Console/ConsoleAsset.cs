namespace SdServerless.Functions.Console;

/// <summary>One embedded console file with the headers it is served with.</summary>
public sealed record ConsoleAsset(byte[] Content, string ContentType, string ETag);
