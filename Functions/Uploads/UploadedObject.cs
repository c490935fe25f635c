namespace SdServerless.Functions.Uploads;

/// <summary>An upload that exists: where it is, and what S3 says of its size and type.</summary>
public sealed record UploadedObject(string S3Uri, long Size, string ContentType);
