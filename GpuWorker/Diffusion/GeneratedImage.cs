namespace SdServerless.GpuWorker.Diffusion;

/// <summary>One output image as PNG bytes and the seed that produced it.</summary>
public sealed record GeneratedImage(byte[] Png, long Seed);
