namespace SdServerless.GpuWorker.Diffusion;

/// <summary>Reported after each denoising step: <paramref name="Step"/> of <paramref name="Steps"/> done.</summary>
public sealed record DenoiseProgress(int Step, int Steps);
