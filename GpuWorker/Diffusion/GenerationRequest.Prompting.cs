using SdServerless.GpuWorker.Diffusion.Prompting;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>How the prompts are read (A1111's settings of the same meaning).</summary>
public sealed partial record GenerationRequest
{
    /// <summary>A1111's "Emphasis mode"; "Original" as A1111's default.</summary>
    public EmphasisMode Emphasis { get; init; } = EmphasisMode.Original;

    /// <summary>A1111's "Clip skip" (<c>CLIP_stop_at_last_layers</c>): 1 reads the last layer; see <see cref="Prompting.ClipSkip"/>.</summary>
    public int ClipSkip { get; init; } = 1;
}
