namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// What one input of a run was fed: the <see cref="PinnedTensor.Version"/> it holds and the version bound last. They are
/// equal when the run sees the values last written; on CUDA a lower bound version means the run reads an older copy.
/// </summary>
public readonly record struct BoundInputFeed(string Name, int Written, int Bound)
{
    public bool Fresh => Written > 0 && Bound == Written;
}
