using Microsoft.ML.OnnxRuntime;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// Preallocated inputs and outputs of one graph for one set of shapes, bound once with an <see cref="OrtIoBinding"/>;
/// <see cref="Run"/> then runs the graph without allocating anything. An ONNX Runtime error while running (CUDA out of
/// memory, a failed kernel) becomes an <see cref="EngineFaultException"/> naming the graph.
/// </summary>
public sealed class BoundRun : IDisposable
{
    private readonly OnnxGraph graph;
    private readonly OrtIoBinding binding;
    private readonly List<PinnedTensor> tensors = [];

    public BoundRun(OnnxGraph graph)
    {
        this.graph = graph;
        binding = graph.Session.CreateIoBinding();
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

    public void Run(RunOptions options)
    {
        try
        {
            graph.Session.RunWithBinding(options, binding);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EngineFaultException($"ONNX Runtime failed running {graph.Path}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        binding.Dispose();
        foreach (var tensor in tensors)
        {
            tensor.Dispose();
        }
    }
}
