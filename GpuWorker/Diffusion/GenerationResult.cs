namespace SdServerless.GpuWorker.Diffusion;

/// <summary>The images of one request; <paramref name="PromptTruncated"/> is true when a prompt exceeded the text encoder's 77 tokens.</summary>
public sealed record GenerationResult(IReadOnlyList<GeneratedImage> Images, bool PromptTruncated, string ModelName);
