using System.Text.Json.Nodes;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using static SdServerless.GpuWorker.Diffusion.TinyModels.OnnxGraphBuilder;

namespace SdServerless.GpuWorker.Diffusion.TinyModels;

/// <summary>
/// The SDXL layout of a tiny model, with the input and output names of optimum's SDXL export: <c>text_encoder/</c> with
/// <c>last_hidden_state</c>, <c>pooler_output</c> and <c>hidden_states.0..N</c>; <c>text_encoder_2/</c> (with projection)
/// with <c>text_embeds</c>, <c>last_hidden_state</c> and <c>hidden_states.0..N</c>; a UNet that also takes
/// <c>text_embeds</c> and <c>time_ids</c>; VAE scaling factor 0.13025. The two encoders differ in width so that a
/// concatenation in the wrong order fails.
/// </summary>
public static partial class TinyModelGenerator
{
    public const int SdxlHiddenSize2 = 48;
    public const int SdxlProjection = 40;
    public const int SdxlLayers = 2;
    public const float SdxlScalingFactor = 0.13025f;
    private const int SdxlTimeEmbedDim = 8;

    private static void GenerateSdxl(string folder, TinyModelVariant variant, GaussianWeights weights, TinyVocabulary vocabulary, int floatType)
    {
        WriteJson(Path.Combine(folder, "model_index.json"), new JsonObject
        {
            ["_class_name"] = "StableDiffusionXLPipeline",
            ["_diffusers_version"] = "0.30.0",
            ["_name_or_path"] = variant.Turbo ? "sdserverless/tiny-random-sdxl-turbo" : "sdserverless/tiny-random-sdxl",
            ["force_zeros_for_empty_prompt"] = true,
            ["text_encoder"] = new JsonArray("transformers", "CLIPTextModel"),
            ["text_encoder_2"] = new JsonArray("transformers", "CLIPTextModelWithProjection"),
            ["tokenizer"] = new JsonArray("transformers", "CLIPTokenizer"),
            ["tokenizer_2"] = new JsonArray("transformers", "CLIPTokenizer"),
            ["unet"] = new JsonArray("diffusers", "UNet2DConditionModel"),
            ["vae"] = new JsonArray("diffusers", "AutoencoderKL"),
            ["scheduler"] = new JsonArray("diffusers", variant.Turbo ? "EulerAncestralDiscreteScheduler" : "EulerDiscreteScheduler"),
        });

        WriteTokenizer(Path.Combine(folder, "tokenizer"), vocabulary, variant);
        WriteTokenizer(Path.Combine(folder, "tokenizer_2"), vocabulary, variant with { PadWithExclamationMark = true });
        WriteScheduler(Path.Combine(folder, "scheduler"), variant.Turbo ? SchedulerConfig.StableDiffusionXLTurbo : SchedulerConfig.StableDiffusionXL);
        WriteLayeredTextEncoder(Path.Combine(folder, "text_encoder"), weights, vocabulary.Tokens.Count, variant, floatType, HiddenSize, projection: null);
        WriteLayeredTextEncoder(Path.Combine(folder, "text_encoder_2"), weights, vocabulary.Tokens.Count, variant, floatType, SdxlHiddenSize2, SdxlProjection);
        WriteSdxlUnet(Path.Combine(folder, "unet"), weights, variant, floatType);
        WriteVaeDecoder(Path.Combine(folder, "vae_decoder"), weights, floatType, SdxlScalingFactor);
        if (!variant.WithoutVaeEncoder)
        {
            WriteVaeEncoder(Path.Combine(folder, "vae_encoder"), weights, variant, floatType, SdxlScalingFactor);
        }
    }

    /// <summary>
    /// input_ids -> token + position embedding = hidden_states.0 -> tanh(h W_k) per layer = hidden_states.k; the last
    /// is last_hidden_state. Pooled: the mean over tokens as pooler_output, or projected as text_embeds.
    /// </summary>
    private static void WriteLayeredTextEncoder(string folder, GaussianWeights weights, int vocabularySize, TinyModelVariant variant, int floatType, int hidden, int? projection)
    {
        Directory.CreateDirectory(folder);
        var graph = new OnnxGraphBuilder(projection is null ? "text_encoder" : "text_encoder_2");
        var ids = graph.Input("input_ids", variant.Int64InputIds ? OnnxInt64 : OnnxInt32, "batch", "sequence");
        var tokens = graph.Node("Gather", [graph.Weight([vocabularySize, hidden], weights, 1f), ids], null, IntAttribute("axis", 0));
        var state = graph.Node("Add", [tokens, graph.Weight([SequenceLength, hidden], weights, 0.1f)]);
        var layers = new List<string> { state };
        for (var layer = 1; layer <= SdxlLayers; layer++)
        {
            state = graph.Node("Tanh", [graph.Node("MatMul", [state, graph.Weight([hidden, hidden], weights, 1f / MathF.Sqrt(hidden))])]);
            layers.Add(state);
        }

        var pooled = graph.Node("ReduceMean", [state], null, IntsAttribute("axes", 1), IntAttribute("keepdims", 0));
        if (projection is { } size)
        {
            graph.CastIfNeeded(graph.Node("MatMul", [pooled, graph.Weight([hidden, size], weights, 0.5f)]), OnnxFloat, floatType, "text_embeds");
            graph.Output("text_embeds", floatType, "batch", size);
        }

        graph.CastIfNeeded(state, OnnxFloat, floatType, "last_hidden_state");
        graph.Output("last_hidden_state", floatType, "batch", "sequence", hidden);
        if (projection is null)
        {
            graph.CastIfNeeded(pooled, OnnxFloat, floatType, "pooler_output");
            graph.Output("pooler_output", floatType, "batch", hidden);
        }

        for (var layer = 0; layer < layers.Count; layer++)
        {
            graph.CastIfNeeded(layers[layer], OnnxFloat, floatType, $"hidden_states.{layer}");
            graph.Output($"hidden_states.{layer}", floatType, "batch", "sequence", hidden);
        }

        graph.Save(Path.Combine(folder, "model.onnx"));
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray(projection is null ? "CLIPTextModel" : "CLIPTextModelWithProjection"),
            ["hidden_size"] = hidden,
            ["num_hidden_layers"] = SdxlLayers,
            ["max_position_embeddings"] = SequenceLength,
            ["vocab_size"] = vocabularySize,
            ["torch_dtype"] = variant.Float16 ? "float16" : "float32",
        };
        if (projection is { } projectionDim)
        {
            config["projection_dim"] = projectionDim;
        }

        WriteJson(Path.Combine(folder, "config.json"), config);
    }

    /// <summary>
    /// out_sample = conv1x1(sample) + sample + project(mean of encoder_hidden_states) + 0.001 * timestep
    /// + project(text_embeds) + project(time_ids / 1024): every input moves the output.
    /// </summary>
    private static void WriteSdxlUnet(string folder, GaussianWeights weights, TinyModelVariant variant, int floatType)
    {
        Directory.CreateDirectory(folder);
        const int contextSize = HiddenSize + SdxlHiddenSize2;
        var graph = new OnnxGraphBuilder("unet");
        var sample = graph.Input("sample", floatType, "batch", LatentChannels, "height", "width");
        var timestep = variant.Timestep switch
        {
            TimestepInput.Int64Batch => graph.Input("timestep", OnnxInt64, "batch"),
            TimestepInput.FloatBatch => graph.Input("timestep", OnnxFloat, "batch"),
            TimestepInput.FloatSingle => graph.Input("timestep", OnnxFloat, 1),
            _ => graph.Input("timestep", OnnxFloat),
        };
        var context = graph.Input("encoder_hidden_states", floatType, "batch", variant.FixedTokenAxis ? SequenceLength : "sequence", contextSize);
        var textEmbeds = graph.Input("text_embeds", floatType, "batch", SdxlProjection);
        var timeIds = graph.Input("time_ids", floatType, "batch", Models.Unet.SdxlTimeIds);

        var sample32 = graph.CastIfNeeded(sample, floatType, OnnxFloat);
        var mixed = graph.Node("Conv", [sample32, graph.Weight([LatentChannels, LatentChannels, 1, 1], weights, 0.05f), graph.Weight([LatentChannels], weights, 0.01f)]);
        var pooledContext = graph.Node("ReduceMean", [graph.CastIfNeeded(context, floatType, OnnxFloat)], null, IntsAttribute("axes", 1), IntAttribute("keepdims", 0));
        var contextBias = graph.Node("MatMul", [pooledContext, graph.Weight([contextSize, LatentChannels], weights, 0.2f)]);
        var embedsBias = graph.Node("MatMul", [graph.CastIfNeeded(textEmbeds, floatType, OnnxFloat), graph.Weight([SdxlProjection, LatentChannels], weights, 0.1f)]);
        var scaledTimeIds = graph.Node("Mul", [graph.CastIfNeeded(timeIds, floatType, OnnxFloat), graph.FloatConstant(1f / 1024)]);
        var timeIdsBias = graph.Node("MatMul", [scaledTimeIds, graph.Weight([Models.Unet.SdxlTimeIds, LatentChannels], weights, 0.1f)]);
        var conditioning = graph.Node("Add", [graph.Node("Add", [contextBias, embedsBias]), timeIdsBias]);
        var bias = graph.Node("Reshape", [conditioning, graph.Int64Constant(-1, LatentChannels, 1, 1)]);
        var time = graph.Node("Mul", [graph.CastIfNeeded(timestep, variant.Timestep == TimestepInput.Int64Batch ? OnnxInt64 : OnnxFloat, OnnxFloat), graph.FloatConstant(0.001f)]);
        var timeBias = graph.Node("Reshape", [time, graph.Int64Constant(-1, 1, 1, 1)]);
        var output = graph.Node("Add", [graph.Node("Add", [mixed, sample32]), graph.Node("Add", [bias, timeBias])]);
        graph.CastIfNeeded(output, OnnxFloat, floatType, "out_sample");
        graph.Output("out_sample", floatType, "batch", LatentChannels, "height", "width");
        graph.Save(Path.Combine(folder, "model.onnx"));
        WriteJson(Path.Combine(folder, "config.json"), new JsonObject
        {
            ["_class_name"] = "UNet2DConditionModel",
            ["in_channels"] = LatentChannels,
            ["out_channels"] = LatentChannels,
            ["sample_size"] = variant.Turbo ? 64 : 128,
            ["cross_attention_dim"] = contextSize,
            ["addition_embed_type"] = "text_time",
            ["addition_time_embed_dim"] = SdxlTimeEmbedDim,
            ["projection_class_embeddings_input_dim"] = SdxlProjection + Models.Unet.SdxlTimeIds * SdxlTimeEmbedDim,
        });
    }
}
