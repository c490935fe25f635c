using Microsoft.ML.OnnxRuntime;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// Preallocated inputs and outputs of one graph for one set of shapes, bound once with an <see cref="OrtIoBinding"/>;
/// <see cref="Run"/> then runs the graph without allocating anything.
/// </summary>
public sealed class BoundRun : IDisposable
{
    private readonly InferenceSession session;
    private readonly OrtIoBinding binding;
    private readonly List<PinnedTensor> tensors = [];

    public BoundRun(InferenceSession session)
    {
        this.session = session;
        binding = session.CreateIoBinding();
    }

    public PinnedTensor BindInput(string name, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType elementType, long[] shape)
    {
        var tensor = new PinnedTensor(elementType, shape);
        tensors.Add(tensor);
        binding.BindInput(name, tensor.Value);
        return tensor;
    }

    public PinnedTensor BindOutput(string name, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType elementType, long[] shape)
    {
        var tensor = new PinnedTensor(elementType, shape);
        tensors.Add(tensor);
        binding.BindOutput(name, tensor.Value);
        return tensor;
    }

    public void Run(RunOptions options) => session.RunWithBinding(options, binding);

    public void Dispose()
    {
        binding.Dispose();
        foreach (var tensor in tensors)
        {
            tensor.Dispose();
        }
    }
}
