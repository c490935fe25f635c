using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>
/// The text-encoder tokens a task used: the prompt's and the negative prompt's as A1111 counts them (its "n/75"
/// figure), and the conditioning tokens the UNet read per image (77 per 75-token chunk).
/// </summary>
public sealed record PromptTokensView(
    [property: JsonPropertyName("prompt")] int Prompt,
    [property: JsonPropertyName("negative_prompt")] int NegativePrompt,
    [property: JsonPropertyName("context")] int Context);
