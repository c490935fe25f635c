using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Prompting;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// What a generator made for a task: its images, to be stored one at a time, the prompt tokens where the runtime
/// reports them, and what to clean up on the runtime once they are stored (or the task ends otherwise).
/// </summary>
public sealed class TaskImages(IReadOnlyList<TaskImage> images, PromptTokenUsage? promptTokens, Func<Task>? cleanUp = null) : IAsyncDisposable
{
    private Func<Task>? _cleanUp = cleanUp;

    public IReadOnlyList<TaskImage> Images { get; } = images;

    public PromptTokenUsage? PromptTokens { get; } = promptTokens;

    public static TaskImages From(GenerationResult result) => new([.. result.Images.Select(TaskImage.Of)], result.PromptTokens);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _cleanUp, null) is { } cleanUp)
        {
            await cleanUp();
        }
    }
}
