using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Sampling;

namespace SdServerless.GpuWorker.Diffusion.Hires;

/// <summary>What the infotext says of a hires fix: the plan, and the second pass's resolved sampler and prompts.</summary>
public sealed record HiresInfo(HiresPlan Plan, SamplerSchedule Sampling, string Prompt, string? NegativePrompt);
