using SdServerless.GpuWorker.Diffusion.Models;
namespace SdServerless.GpuWorker.Diffusion;

/// <summary>
/// Where the engine's model comes from when something other than <see cref="DiffusionOptions.ModelPath"/> decides it
/// (the queue agent: its runtime's model, synced from S3 first). Null means the tiny random model.
/// </summary>
public interface IModelSource
{
    Task<string?> GetFolderAsync(CancellationToken cancellationToken);
}
