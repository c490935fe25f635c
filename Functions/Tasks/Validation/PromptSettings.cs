using System.Text.Json;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>What <see cref="A1111FieldRules"/> read from a request: clip skip, the emphasis mode, and (A1111 runtimes) the fields passed on.</summary>
public sealed record PromptSettings(int ClipSkip, string? Emphasis, JsonElement? A1111Fields);
