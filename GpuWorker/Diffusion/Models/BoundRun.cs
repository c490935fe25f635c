using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// Preallocated inputs and outputs of one graph for one set of shapes, run with an <see cref="OrtIoBinding"/>. Inputs are
/// bound by <see cref="Run"/> itself, each one again whenever it was written since it was last bound, so every run sees
/// the values written last: on CUDA ONNX Runtime copies a host input to the device when it is bound, not when the graph
/// runs (decision 0404). Outputs are bound once; ONNX Runtime copies them to the host buffers at the end of every run.
/// An ONNX Runtime error while running (CUDA out of memory, a failed kernel) becomes an <see cref="EngineFaultException"/>
/// naming the graph.
/// </summary>
public sealed class BoundRun : IDisposable
{
    /// <summary>The name of the <see cref="Diagnostics"/> event written before each run, with a <see cref="BoundRunFeed"/>.</summary>
    public const string RunEvent = "Run";

    /// <summary>The name of <see cref="Diagnostics"/>.</summary>
    public const string DiagnosticsName = "SdServerless.Diffusion.BoundRun";

    private readonly OnnxGraph graph;
    private readonly OrtIoBinding binding;
    private readonly List<PinnedTensor> tensors = [];
    private readonly List<BoundInput> inputs = [];

    public BoundRun(OnnxGraph graph)
    {
        this.graph = graph;
        binding = graph.Session.CreateIoBinding();
    }

    /// <summary>
    /// Reports what each run is fed, asked per graph path (<see cref="DiagnosticListener.IsEnabled(string, object?, object?)"/>
    /// with the path as the first argument), so a listener for one model costs the others nothing.
    /// </summary>
    public static DiagnosticListener Diagnostics { get; } = new(DiagnosticsName);

    /// <summary>An input, bound by <see cref="Run"/> after it is written.</summary>
    public PinnedTensor Input(string name, TensorElementType elementType, long[] shape)
    {
        var tensor = new PinnedTensor(elementType, shape);
        tensors.Add(tensor);
        inputs.Add(new BoundInput(name, tensor));
        return tensor;
    }

    /// <summary>An output, bound now: the host buffer receives the graph's output at the end of every run.</summary>
    public PinnedTensor Output(string name, TensorElementType elementType, long[] shape)
    {
        var tensor = new PinnedTensor(elementType, shape);
        tensors.Add(tensor);
        binding.BindOutput(name, tensor.Value);
        return tensor;
    }

    /// <summary>Binds every input written since its last binding, then runs the graph.</summary>
    /// <exception cref="InvalidOperationException">An input was never written.</exception>
    public void Run(RunOptions options)
    {
        foreach (var input in inputs)
        {
            if (input.Tensor.Version == 0)
            {
                throw new InvalidOperationException($"{graph.Path}: input '{input.Name}' was never written");
            }

            if (input.Bound != input.Tensor.Version)
            {
                binding.BindInput(input.Name, input.Tensor.Value);
                input.Bound = input.Tensor.Version;
            }
        }

        if (Diagnostics.IsEnabled(RunEvent, graph.Path))
        {
            Diagnostics.Write(RunEvent, new BoundRunFeed(graph.Path, inputs.Select(input => new BoundInputFeed(input.Name, input.Tensor.Version, input.Bound)).ToArray()));
        }

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

    /// <summary>An input and the <see cref="PinnedTensor.Version"/> bound last (0: not yet bound).</summary>
    private sealed class BoundInput(string name, PinnedTensor tensor)
    {
        public string Name { get; } = name;

        public PinnedTensor Tensor { get; } = tensor;

        public int Bound { get; set; }
    }
}
