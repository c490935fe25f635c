using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// The denoising UNet: <c>sample</c> <c>[batch, channels, h, w]</c>, <c>timestep</c> (int64 or float, <c>[batch]</c> or
/// rank 0), <c>encoder_hidden_states</c> <c>[batch, 77, hidden]</c> -> <c>out_sample</c>. An SDXL UNet
/// (<c>addition_embed_type</c> <c>text_time</c>) also takes <c>text_embeds</c> <c>[batch, 1280]</c> (the pooled prompt) and
/// <c>time_ids</c> <c>[batch, 6]</c> (original size, crop top-left, target size). Its tensors are allocated once per
/// shape (<see cref="UnetBinding"/>) and reused for every step; each run binds the inputs written since the last.
/// </summary>
public sealed class Unet : IDisposable
{
    /// <summary>SDXL base and Turbo: original (h, w), crop (top, left), target (h, w).</summary>
    public const int SdxlTimeIds = 6;

    private readonly OnnxGraph graph;
    private readonly string outputName;
    private UnetBinding? binding;

    /// <param name="configuredTimeIds">The time id count from the UNet config, used when the graph leaves it symbolic.</param>
    /// <param name="configuredTextEmbeds">The pooled embedding size from the second text encoder, used likewise.</param>
    public Unet(OnnxGraph graph, int configuredChannels, int configuredTimeIds = SdxlTimeIds, int configuredTextEmbeds = 0)
    {
        this.graph = graph;
        var hasTextEmbeds = graph.HasInput("text_embeds");
        var hasTimeIds = graph.HasInput("time_ids");
        if (hasTextEmbeds != hasTimeIds)
        {
            throw new ModelLoadException($"{graph.Path}: the UNet takes '{(hasTextEmbeds ? "text_embeds" : "time_ids")}' without '{(hasTextEmbeds ? "time_ids" : "text_embeds")}'; an SDXL UNet takes both");
        }

        if (graph.HasInput("timestep_cond"))
        {
            throw new ModelLoadException($"{graph.Path}: the UNet takes 'timestep_cond' (a guidance-distilled LCM UNet), which is not supported");
        }

        if (hasTextEmbeds)
        {
            var textEmbeds = graph.Input("text_embeds");
            TextEmbedsType = OnnxGraph.RequireFloat(textEmbeds, graph.Path, "text_embeds");
            TextEmbedsSize = OnnxGraph.FixedDimension(textEmbeds, 1) ?? configuredTextEmbeds;
            var timeIds = graph.Input("time_ids");
            TimeIdsType = OnnxGraph.RequireFloat(timeIds, graph.Path, "time_ids");
            TimeIdsCount = OnnxGraph.FixedDimension(timeIds, 1) ?? configuredTimeIds;
            if (TimeIdsCount != SdxlTimeIds)
            {
                throw new ModelLoadException(
                    $"{graph.Path}: the UNet takes {TimeIdsCount} time ids; {SdxlTimeIds} (sizes and crop) are supported. 5 means the SDXL refiner (aesthetic score), which is not supported");
            }

            if (TextEmbedsSize <= 0)
            {
                throw new ModelLoadException($"{graph.Path}: the size of 'text_embeds' is neither fixed in the graph nor known from text_encoder_2");
            }
        }

        var sample = graph.Input("sample");
        SampleType = OnnxGraph.RequireFloat(sample, graph.Path, "sample");
        var timestep = graph.Input("timestep");
        TimestepType = timestep.ElementDataType is TensorElementType.Float or TensorElementType.Float16 or TensorElementType.Int64 or TensorElementType.Int32
            ? timestep.ElementDataType
            : throw new ModelLoadException($"{graph.Path}: 'timestep' must be int64 or float, it is {timestep.ElementDataType}");
        TimestepIsScalar = timestep.Dimensions.Length == 0;
        FixedTimestepCount = OnnxGraph.FixedDimension(timestep, 0);
        var context = graph.Input("encoder_hidden_states");
        ContextType = OnnxGraph.RequireFloat(context, graph.Path, "encoder_hidden_states");
        FixedContextSize = OnnxGraph.FixedDimension(context, 2);
        FixedTokenCount = OnnxGraph.FixedDimension(context, 1);
        outputName = graph.OutputName("out_sample");
        OutputType = OnnxGraph.RequireFloat(graph.Output(outputName), graph.Path, outputName);
        Channels = OnnxGraph.FixedDimension(sample, 1) ?? configuredChannels;
        FixedBatch = OnnxGraph.FixedDimension(sample, 0);
        FixedLatentHeight = OnnxGraph.FixedDimension(sample, 2);
        FixedLatentWidth = OnnxGraph.FixedDimension(sample, 3);
    }

    /// <summary>True for an SDXL UNet, which takes <c>text_embeds</c> and <c>time_ids</c>.</summary>
    public bool TakesAddedConditions => TextEmbedsSize > 0;

    /// <summary>Size of the pooled prompt embedding <c>text_embeds</c> (1280 for SDXL); 0 when the UNet does not take it.</summary>
    public int TextEmbedsSize { get; }

    /// <summary>Values per image in <c>time_ids</c> (6 for SDXL); 0 when the UNet does not take them.</summary>
    public int TimeIdsCount { get; }

    public TensorElementType TextEmbedsType { get; }

    public TensorElementType TimeIdsType { get; }

    /// <summary>The hidden size <c>encoder_hidden_states</c> fixes (2048 for SDXL), if it fixes one.</summary>
    public int? FixedContextSize { get; }

    /// <summary>The token count of <c>encoder_hidden_states</c> when the graph fixes it (some exports fix 77: one prompt chunk).</summary>
    public int? FixedTokenCount { get; }

    public TensorElementType SampleType { get; }

    public TensorElementType TimestepType { get; }

    public bool TimestepIsScalar { get; }

    /// <summary>A <c>[1]</c> timestep (ONNX Runtime's own SD/SDXL demo export) stays <c>[1]</c> whatever the batch; null when the batch sets it.</summary>
    public int? FixedTimestepCount { get; }

    public TensorElementType ContextType { get; }

    public TensorElementType OutputType { get; }

    public int Channels { get; }

    public int? FixedBatch { get; }

    public int? FixedLatentHeight { get; }

    public int? FixedLatentWidth { get; }

    public string Path => graph.Path;

    public IEnumerable<string> InputNames => graph.Session.InputMetadata.Keys;

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
            run.Input("sample", SampleType, sampleShape),
            run.Input("timestep", TimestepType, TimestepIsScalar ? [] : [FixedTimestepCount ?? batch]),
            run.Input("encoder_hidden_states", ContextType, contextShape),
            run.Output(outputName, OutputType, sampleShape),
            TakesAddedConditions ? run.Input("text_embeds", TextEmbedsType, [batch, TextEmbedsSize]) : null,
            TakesAddedConditions ? run.Input("time_ids", TimeIdsType, [batch, TimeIdsCount]) : null);
        return binding;
    }

    public void Dispose()
    {
        binding?.Dispose();
        graph.Dispose();
    }
}
