using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Messages;

/// <summary>
/// How many text-encoder tokens a task used: the prompt's and the negative prompt's tokens as A1111 counts them (its
/// "n/75" figure), and the tokens of conditioning the UNet read per image (77 per chunk).
/// </summary>
public sealed record PromptTokenCounts(
    [property: JsonPropertyName("prompt")] int Prompt,
    [property: JsonPropertyName("negative_prompt")] int NegativePrompt,
    [property: JsonPropertyName("context")] int Context);
