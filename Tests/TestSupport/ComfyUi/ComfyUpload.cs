namespace SdServerless.TestSupport.ComfyUi;

/// <summary>One <c>/upload/image</c> the test server received.</summary>
public sealed record ComfyUpload(string FileName, string Subfolder, string Overwrite, string Type, byte[] Data);
