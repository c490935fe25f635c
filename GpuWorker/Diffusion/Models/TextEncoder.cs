using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>CLIP text encoder: <c>input_ids</c> (int32 or int64, <c>[batch, 77]</c>) -> <c>last_hidden_state</c> <c>[batch, 77, hidden]</c>.</summary>
public sealed class TextEncoder : IDisposable
{
    private readonly OnnxGraph graph;
    private readonly TensorElementType idsType;
    private readonly TensorElementType outputType;
    private readonly string outputName;
    private BoundRun? run;
    private PinnedTensor? ids;
    private PinnedTensor? output;

    public TextEncoder(OnnxGraph graph, int configuredHiddenSize)
    {
        this.graph = graph;
        var input = graph.Input("input_ids");
        idsType = input.ElementDataType is TensorElementType.Int32 or TensorElementType.Int64
            ? input.ElementDataType
            : throw new ModelLoadException($"{graph.Path}: 'input_ids' must be int32 or int64, it is {input.ElementDataType}");
        outputName = graph.OutputName("last_hidden_state");
        var metadata = graph.Output(outputName);
        outputType = OnnxGraph.RequireFloat(metadata, graph.Path, outputName);
        HiddenSize = OnnxGraph.FixedDimension(metadata, 2) ?? configuredHiddenSize;
        SequenceLength = OnnxGraph.FixedDimension(input, 1);
    }

    public int HiddenSize { get; }

    /// <summary>The fixed token count the graph takes, when it fixes one.</summary>
    public int? SequenceLength { get; }

    public string Path => graph.Path;

    /// <summary>Encodes one prompt's ids into <paramref name="hiddenStates"/> (<c>ids.Length * HiddenSize</c> floats).</summary>
    public void Run(ReadOnlySpan<int> tokenIds, Span<float> hiddenStates, RunOptions options)
    {
        if (run is null || ids!.Length != tokenIds.Length)
        {
            run?.Dispose();
            run = new BoundRun(graph);
            ids = run.BindInput("input_ids", idsType, [1, tokenIds.Length]);
            output = run.BindOutput(outputName, outputType, [1, tokenIds.Length, HiddenSize]);
        }

        ids.WriteIds(tokenIds);
        run.Run(options);
        output!.Read(hiddenStates);
    }

    public void Dispose()
    {
        run?.Dispose();
        graph.Dispose();
    }
}
