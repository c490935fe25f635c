using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// The denoising UNet: <c>sample</c> <c>[batch, channels, h, w]</c>, <c>timestep</c> (int64 or float, <c>[batch]</c> or
/// rank 0), <c>encoder_hidden_states</c> <c>[batch, 77, hidden]</c> -> <c>out_sample</c>. Its inputs and output are bound
/// once per shape (<see cref="UnetBinding"/>) and reused for every step.
/// </summary>
public sealed class Unet : IDisposable
{
    private readonly OnnxGraph graph;
    private readonly string outputName;
    private UnetBinding? binding;

    public Unet(OnnxGraph graph, int configuredChannels)
    {
        this.graph = graph;
        foreach (var refused in new[] { "text_embeds", "time_ids" })
        {
            if (graph.HasInput(refused))
            {
                throw new ModelLoadException($"{graph.Path}: the UNet takes '{refused}', so this is a Stable Diffusion XL model, which is not supported yet");
            }
        }

        var sample = graph.Input("sample");
        SampleType = OnnxGraph.RequireFloat(sample, graph.Path, "sample");
        var timestep = graph.Input("timestep");
        TimestepType = timestep.ElementDataType is TensorElementType.Float or TensorElementType.Float16 or TensorElementType.Int64 or TensorElementType.Int32
            ? timestep.ElementDataType
            : throw new ModelLoadException($"{graph.Path}: 'timestep' must be int64 or float, it is {timestep.ElementDataType}");
        TimestepIsScalar = timestep.Dimensions.Length == 0;
        var context = graph.Input("encoder_hidden_states");
        ContextType = OnnxGraph.RequireFloat(context, graph.Path, "encoder_hidden_states");
        outputName = graph.OutputName("out_sample");
        OutputType = OnnxGraph.RequireFloat(graph.Output(outputName), graph.Path, outputName);
        Channels = OnnxGraph.FixedDimension(sample, 1) ?? configuredChannels;
        FixedBatch = OnnxGraph.FixedDimension(sample, 0);
        FixedLatentHeight = OnnxGraph.FixedDimension(sample, 2);
        FixedLatentWidth = OnnxGraph.FixedDimension(sample, 3);
    }

    public TensorElementType SampleType { get; }

    public TensorElementType TimestepType { get; }

    public bool TimestepIsScalar { get; }

    public TensorElementType ContextType { get; }

    public TensorElementType OutputType { get; }

    public int Channels { get; }

    public int? FixedBatch { get; }

    public int? FixedLatentHeight { get; }

    public int? FixedLatentWidth { get; }

    public string Path => graph.Path;

    /// <summary>The binding for these shapes: the previous one when the shapes match, so repeated requests reuse it.</summary>
    public UnetBinding Bind(int batch, int latentHeight, int latentWidth, int sequenceLength, int hiddenSize)
    {
        long[] sampleShape = [batch, Channels, latentHeight, latentWidth];
        long[] contextShape = [batch, sequenceLength, hiddenSize];
        if (binding is not null && binding.Sample.HasShape(sampleShape) && binding.Context.HasShape(contextShape))
        {
            return binding;
        }

        binding?.Dispose();
        var run = new BoundRun(graph);
        binding = new UnetBinding(
            run,
            run.BindInput("sample", SampleType, sampleShape),
            run.BindInput("timestep", TimestepType, TimestepIsScalar ? [] : [batch]),
            run.BindInput("encoder_hidden_states", ContextType, contextShape),
            run.BindOutput(outputName, OutputType, sampleShape));
        return binding;
    }

    public void Dispose()
    {
        binding?.Dispose();
        graph.Dispose();
    }
}
