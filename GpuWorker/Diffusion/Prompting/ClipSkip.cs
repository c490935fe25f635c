using SdServerless.GpuWorker.Diffusion.Models;

namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>
/// A1111's "Clip skip" (<c>CLIP_stop_at_last_layers</c>): stop n layers from the end of CLIP. A1111 applies it to SD 1.x
/// only, taking <c>hidden_states[-n]</c> and then the encoder's final layer norm. SD 2.x (OpenCLIP, which pads with "!")
/// already reads its penultimate layer and SDXL its encoders' penultimate layers, and A1111 leaves both unchanged, so here too.
/// </summary>
public static class ClipSkip
{
    public const int Min = 1;

    /// <summary>A1111's slider goes to 12, CLIP ViT-L's layer count.</summary>
    public const int Max = 12;

    /// <summary>Whether clip skip changes this model's conditioning in A1111.</summary>
    public static bool Applies(StableDiffusionModel model) =>
        model.Family == ModelFamily.StableDiffusion && model.Tokenizer.PadId == model.Tokenizer.EosId;

    /// <summary>The output holding <c>hidden_states[-n]</c>, or the reason this export cannot give it.</summary>
    public static string? LayerOutput(TextEncoder encoder, int clipSkip, out string? reason)
    {
        if (encoder.HiddenLayers == 0)
        {
            reason = "its text encoder export has no hidden_states.N outputs (export it with output_hidden_states)";
            return null;
        }

        if (clipSkip > encoder.HiddenLayers)
        {
            reason = $"its text encoder has {encoder.HiddenLayers} layers";
            return null;
        }

        reason = null;
        return TextEncoder.LayerOutput(encoder.HiddenLayers + 1 - clipSkip);
    }
}
