namespace SdServerless.Aws.Signing;

/// <summary>The key material one signature is made with.</summary>
public sealed record SigningCredentials(string AccessKey, string SecretKey, string? SessionToken = null);
