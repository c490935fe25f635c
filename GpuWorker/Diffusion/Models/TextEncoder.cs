using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// CLIP text encoder: <c>input_ids</c> (int32 or int64, <c>[batch, 77]</c>) -> hidden states <c>[batch, 77, hidden]</c>.
/// SD 1.x/2.x read <c>last_hidden_state</c>. SDXL reads the penultimate layer, <c>hidden_states.{layers - 1}</c> (optimum
/// exports SDXL encoders with <c>output_hidden_states</c>: <c>hidden_states.0</c> is the embedding output,
/// <c>hidden_states.{layers}</c> the last layer), and from the second encoder (<c>CLIPTextModelWithProjection</c>) also the
/// pooled, projected <c>text_embeds</c> <c>[batch, projection]</c>.
/// </summary>
public sealed class TextEncoder : IDisposable
{
    private const string HiddenStatesPrefix = "hidden_states.";
    private readonly OnnxGraph graph;
    private readonly TensorElementType idsType;
    private string statesName;
    private TensorElementType statesType;
    private readonly string? pooledName;
    private readonly TensorElementType pooledType;
    private BoundRun? run;
    private PinnedTensor? ids;
    private PinnedTensor? states;
    private PinnedTensor? pooled;

    public TextEncoder(OnnxGraph graph, int configuredHiddenSize, TextEncoderOutputs outputs = TextEncoderOutputs.LastHiddenState, int configuredProjection = 0)
    {
        this.graph = graph;
        var input = graph.Input("input_ids");
        idsType = input.ElementDataType is TensorElementType.Int32 or TensorElementType.Int64
            ? input.ElementDataType
            : throw new ModelLoadException($"{graph.Path}: 'input_ids' must be int32 or int64, it is {input.ElementDataType}");
        statesName = outputs == TextEncoderOutputs.LastHiddenState ? graph.OutputName("last_hidden_state") : PenultimateLayer(graph);
        var metadata = graph.Output(statesName);
        statesType = OnnxGraph.RequireFloat(metadata, graph.Path, statesName);
        HiddenSize = OnnxGraph.FixedDimension(metadata, 2) ?? configuredHiddenSize;
        HiddenLayers = LayerOutputs(graph).DefaultIfEmpty(0).Max();
        SequenceLength = OnnxGraph.FixedDimension(input, 1);
        if (outputs == TextEncoderOutputs.PenultimateAndPooled)
        {
            pooledName = graph.Session.OutputMetadata.ContainsKey("text_embeds")
                ? "text_embeds"
                : throw new ModelLoadException(
                    $"{graph.Path}: the second SDXL text encoder must output the pooled 'text_embeds' (CLIPTextModelWithProjection); found: {string.Join(", ", graph.Session.OutputMetadata.Keys)}");
            var pooledMetadata = graph.Output(pooledName);
            pooledType = OnnxGraph.RequireFloat(pooledMetadata, graph.Path, pooledName);
            PooledSize = OnnxGraph.FixedDimension(pooledMetadata, 1) ?? configuredProjection;
            if (PooledSize <= 0)
            {
                throw new ModelLoadException($"{graph.Path}: the size of 'text_embeds' is neither fixed in the graph nor given as projection_dim in config.json");
            }
        }
    }

    public int HiddenSize { get; }

    /// <summary>Size of the pooled <c>text_embeds</c>; 0 when this encoder's pooled output is not used.</summary>
    public int PooledSize { get; }

    /// <summary>The output read as hidden states: <c>last_hidden_state</c> or <c>hidden_states.N</c>.</summary>
    public string StatesOutput => statesName;

    /// <summary>
    /// N when the export outputs every layer as <c>hidden_states.0</c> (the embeddings) .. <c>hidden_states.N</c> (exported
    /// with <c>output_hidden_states</c>); 0 when it does not.
    /// </summary>
    public int HiddenLayers { get; }

    /// <summary>
    /// Reads the hidden states from <paramref name="output"/> (<see cref="LayerOutput"/> of a layer, or the output this
    /// encoder was created with) from the next run on.
    /// </summary>
    public void ReadStatesFrom(string output)
    {
        if (output == statesName)
        {
            return;
        }

        var metadata = graph.Output(output);
        if (OnnxGraph.FixedDimension(metadata, 2) is { } size && size != HiddenSize)
        {
            throw new ModelLoadException($"{graph.Path}: output '{output}' has {size} values per token; '{statesName}' has {HiddenSize}");
        }

        statesName = output;
        statesType = OnnxGraph.RequireFloat(metadata, graph.Path, output);
        run?.Dispose();
        run = null;
    }

    /// <summary>The name of layer <paramref name="layer"/>'s output (0 = the embeddings).</summary>
    public static string LayerOutput(int layer) => $"{HiddenStatesPrefix}{layer}";

    /// <summary>The fixed token count the graph takes, when it fixes one.</summary>
    public int? SequenceLength { get; }

    public string Path => graph.Path;

    /// <summary>Encodes one prompt's ids into <paramref name="hiddenStates"/> (<c>ids.Length * HiddenSize</c> floats).</summary>
    public void Run(ReadOnlySpan<int> tokenIds, Span<float> hiddenStates, RunOptions options) => Run(tokenIds, hiddenStates, [], options);

    /// <summary>Encodes one prompt's ids into its hidden states and, when this encoder has one, its pooled embedding (<see cref="PooledSize"/> floats).</summary>
    public void Run(ReadOnlySpan<int> tokenIds, Span<float> hiddenStates, Span<float> pooledEmbedding, RunOptions options)
    {
        if (run is null || ids!.Length != tokenIds.Length)
        {
            run?.Dispose();
            run = new BoundRun(graph);
            ids = run.Input("input_ids", idsType, [1, tokenIds.Length]);
            states = run.Output(statesName, statesType, [1, tokenIds.Length, HiddenSize]);
            pooled = pooledName is null ? null : run.Output(pooledName, pooledType, [1, PooledSize]);
        }

        ids.WriteIds(tokenIds);
        run.Run(options);
        states!.Read(hiddenStates);
        if (pooled is not null && !pooledEmbedding.IsEmpty)
        {
            pooled.Read(pooledEmbedding);
        }
    }

    public void Dispose()
    {
        run?.Dispose();
        graph.Dispose();
    }

    private static IEnumerable<int> LayerOutputs(OnnxGraph graph) =>
        graph.Session.OutputMetadata.Keys
            .Where(name => name.StartsWith(HiddenStatesPrefix, StringComparison.Ordinal))
            .Select(name => int.TryParse(name.AsSpan(HiddenStatesPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var layer) ? layer : -1)
            .Where(layer => layer >= 0);

    /// <summary>The second-to-last of the <c>hidden_states.N</c> outputs (diffusers' <c>hidden_states[-2]</c>).</summary>
    private static string PenultimateLayer(OnnxGraph graph)
    {
        var layers = LayerOutputs(graph).ToList();
        if (layers.Count < 2)
        {
            throw new ModelLoadException(
                $"{graph.Path}: an SDXL text encoder must output its layers as hidden_states.0 .. hidden_states.N (optimum exports them with output_hidden_states); found: {string.Join(", ", graph.Session.OutputMetadata.Keys)}");
        }

        var penultimate = $"{HiddenStatesPrefix}{layers.Max() - 1}";
        return graph.Session.OutputMetadata.ContainsKey(penultimate)
            ? penultimate
            : throw new ModelLoadException($"{graph.Path}: output '{penultimate}' (the penultimate layer) is missing");
    }
}
