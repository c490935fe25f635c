using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Tasks;

/// <summary>
/// An image a ComfyUI workflow loads by name: every node input <c>image</c> equal to <paramref name="Name"/> reads it.
/// <paramref name="Image"/> takes the same forms as <c>init_images</c> (data URL or base64, <c>s3://</c>, <c>https://</c>).
/// </summary>
public sealed record WorkflowInput(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("image")] string Image);
