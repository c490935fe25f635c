namespace SdServerless.GpuWorker.Diffusion;

/// <summary>One generation as the queue agent asks for it; parameters are named as in the AUTOMATIC1111 API.</summary>
/// <param name="Seed">-1 picks a seed; image <c>n</c> of a batch uses <c>Seed + n</c> (the noise settings are in GenerationRequest.Noise.cs).</param>
/// <param name="Sampler">A1111 sampler name, case-insensitive (<c>Euler a</c>, <c>DPM++ 2M Karras</c>, ...).</param>
/// <param name="DenoisingStrength">image-to-image only: 0 keeps the init image, 1 replaces it. A double, as diffusers computes
/// the start step in Python floats: in float32, 50 steps at 0.58 would start one step early.</param>
/// <param name="InitImage">Encoded PNG or JPEG bytes; null for text-to-image.</param>
public sealed partial record GenerationRequest(
    string Prompt, string? NegativePrompt, int Width, int Height, int Steps, float CfgScale,
    long Seed, string Sampler, int BatchSize,
    double DenoisingStrength, byte[]? InitImage);
