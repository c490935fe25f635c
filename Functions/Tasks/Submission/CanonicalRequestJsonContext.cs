using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>
/// Source-generated JSON for <see cref="CanonicalRequest"/>, with the API's options (nulls left out), so its hash and
/// stored form are what they were when the API's context generated them.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CanonicalRequest))]
internal sealed partial class CanonicalRequestJsonContext : JsonSerializerContext;
