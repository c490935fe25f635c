using SdServerless.GpuWorker.Diffusion.Prompting;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>The images of one request; <paramref name="PromptTokens"/> says how many tokens the prompts used (null where the runtime does not say).</summary>
public sealed record GenerationResult(IReadOnlyList<GeneratedImage> Images, PromptTokenUsage? PromptTokens, string ModelName);
