using SdServerless.GpuWorker.Diffusion.Models;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>
/// What a loaded model accepts, from the model itself, for the runtime catalogue to publish: a request inside these
/// limits passes <see cref="StableDiffusionPipeline.CheckInputs"/> (fixed-shape exports aside, which name their size in
/// <see cref="FixedWidth"/> and <see cref="FixedHeight"/>).
/// </summary>
/// <param name="ModelName">The model folder's name, as written into each PNG's parameters.</param>
/// <param name="Family">SD 1.x/2.x or SDXL.</param>
/// <param name="Turbo">An adversarially distilled few-step model (SD-Turbo, SDXL-Turbo): <see cref="MaxSteps"/> is 4 and guidance is off (<see cref="MaxCfgScale"/> 1).</param>
/// <param name="NativeSize">The training resolution in pixels (UNet <c>sample_size</c> x 8): 512 for SD 1.x and SDXL-Turbo, 1024 for SDXL.</param>
/// <param name="SizeMultiple">Width and height must be multiples of this.</param>
/// <param name="MinSize">Smallest width or height.</param>
/// <param name="MaxSize">Largest width or height.</param>
/// <param name="MaxSteps">Most denoising steps (the least is 1).</param>
/// <param name="MaxCfgScale">Largest <c>cfg_scale</c>; guidance runs above 1.</param>
/// <param name="MaxBatchSize">Most images per request.</param>
/// <param name="ImageToImage">Whether the export has a VAE encoder.</param>
/// <param name="Samplers">A1111 sampler names this model runs.</param>
/// <param name="FixedWidth">The only width a fixed-shape export runs, else null.</param>
/// <param name="FixedHeight">The only height a fixed-shape export runs, else null.</param>
public sealed record DiffusionModelFacts(
    string ModelName,
    ModelFamily Family,
    bool Turbo,
    int NativeSize,
    int SizeMultiple,
    int MinSize,
    int MaxSize,
    int MaxSteps,
    float MaxCfgScale,
    int MaxBatchSize,
    bool ImageToImage,
    IReadOnlyList<string> Samplers,
    int? FixedWidth,
    int? FixedHeight);
