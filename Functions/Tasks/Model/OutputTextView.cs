using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>
/// The text chunks of one output PNG, keyword → text; <c>parameters</c> is the AUTOMATIC1111 infotext (prompt,
/// negative prompt, then <c>Steps: …, Sampler: …, CFG scale: …, Seed: …, Size: …</c>).
/// </summary>
public sealed record OutputTextView([property: JsonPropertyName("text")] IReadOnlyDictionary<string, string> Text);
