using System.Text.Json;
using System.Text.Json.Nodes;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using static SdServerless.GpuWorker.Diffusion.TinyModels.OnnxGraphBuilder;

namespace SdServerless.GpuWorker.Diffusion.TinyModels;

/// <summary>
/// Writes a complete optimum-layout Stable Diffusion folder with tiny random weights: the same file names, input and
/// output names, dtypes and shapes as a real export, a VAE that scales by 8, and a small vocabulary. Its images are noise;
/// it exists so the engine can be tested and run without real weights.
/// </summary>
public static partial class TinyModelGenerator
{
    public const int HiddenSize = 32;

    /// <summary>The layers the SD text encoder reports as <c>hidden_states.1</c> .. <c>hidden_states.2</c> (for clip skip).</summary>
    public const int TextEncoderLayers = 2;
    public const int SequenceLength = 77;
    public const int LatentChannels = 4;
    public const int VaeScale = 8;
    public const float ScalingFactor = 0.18215f;
    private const int ImageChannels = 3;
    private const long WeightSeed = 20240601;

    /// <summary>Blocks of the wide UNet stack (<see cref="TinyModelVariant.UnetWidth"/>): 3x3 convolution, ReLU, per-pixel projection.</summary>
    public const int WideUnetBlocks = 16;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static void Generate(string folder, TinyModelVariant? variant = null)
    {
        variant ??= TinyModelVariant.Default;
        var weights = new GaussianWeights(WeightSeed);
        var vocabulary = TinyVocabulary.Create();
        var floatType = variant.Float16 ? OnnxFloat16 : OnnxFloat;

        Directory.CreateDirectory(folder);
        if (variant.Sdxl)
        {
            GenerateSdxl(folder, variant, weights, vocabulary, floatType);
            return;
        }

        WriteJson(Path.Combine(folder, "model_index.json"), new JsonObject
        {
            ["_class_name"] = "OnnxStableDiffusionPipeline",
            ["_diffusers_version"] = "0.30.0",
            ["_name_or_path"] = "sdserverless/tiny-random-sd",
            ["text_encoder"] = new JsonArray("diffusers", "OnnxRuntimeModel"),
            ["unet"] = new JsonArray("diffusers", "OnnxRuntimeModel"),
            ["vae_decoder"] = new JsonArray("diffusers", "OnnxRuntimeModel"),
            ["vae_encoder"] = variant.WithoutVaeEncoder ? null : new JsonArray("diffusers", "OnnxRuntimeModel"),
            ["tokenizer"] = new JsonArray("transformers", "CLIPTokenizer"),
            ["scheduler"] = new JsonArray("diffusers", "PNDMScheduler"),
            ["safety_checker"] = new JsonArray(null, null),
            ["feature_extractor"] = new JsonArray(null, null),
        });

        WriteTokenizer(Path.Combine(folder, "tokenizer"), vocabulary, variant);
        WriteScheduler(Path.Combine(folder, "scheduler"), SchedulerConfig.StableDiffusion1 with { TimestepSpacing = variant.TimestepSpacing });
        WriteTextEncoder(Path.Combine(folder, "text_encoder"), weights, vocabulary.Tokens.Count, variant, floatType);
        WriteUnet(Path.Combine(folder, "unet"), weights, variant, floatType);
        WriteVaeDecoder(Path.Combine(folder, "vae_decoder"), weights, floatType, ScalingFactor);
        if (!variant.WithoutVaeEncoder)
        {
            WriteVaeEncoder(Path.Combine(folder, "vae_encoder"), weights, variant, floatType, ScalingFactor);
        }
    }

    private static void WriteTokenizer(string folder, TinyVocabulary vocabulary, TinyModelVariant variant)
    {
        Directory.CreateDirectory(folder);
        var vocab = new JsonObject();
        foreach (var (token, id) in vocabulary.Tokens)
        {
            vocab[token] = id;
        }

        WriteJson(Path.Combine(folder, "vocab.json"), vocab);
        File.WriteAllLines(
            Path.Combine(folder, "merges.txt"),
            vocabulary.Merges.Select(merge => $"{merge.Left} {merge.Right}").Prepend("#version: 0.2"));
        WriteJson(Path.Combine(folder, "special_tokens_map.json"), new JsonObject
        {
            ["bos_token"] = new JsonObject { ["content"] = "<|startoftext|>", ["lstrip"] = false, ["normalized"] = true },
            ["eos_token"] = new JsonObject { ["content"] = "<|endoftext|>", ["lstrip"] = false, ["normalized"] = true },
            ["pad_token"] = variant.PadWithExclamationMark ? "!" : "<|endoftext|>",
            ["unk_token"] = "<|endoftext|>",
        });
        WriteJson(Path.Combine(folder, "tokenizer_config.json"), new JsonObject
        {
            ["model_max_length"] = SequenceLength,
            ["do_lower_case"] = true,
            ["tokenizer_class"] = "CLIPTokenizer",
        });
    }

    private static void WriteScheduler(string folder, SchedulerConfig config)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "scheduler_config.json"), JsonSerializer.Serialize(config, SchedulerConfig.SerializerOptions));
    }

    /// <summary>input_ids -> token + position embedding -> tanh = last_hidden_state; its mean over tokens = pooler_output.</summary>
    private static void WriteTextEncoder(string folder, GaussianWeights weights, int vocabularySize, TinyModelVariant variant, int floatType)
    {
        Directory.CreateDirectory(folder);
        var graph = new OnnxGraphBuilder("text_encoder");
        var ids = graph.Input("input_ids", variant.Int64InputIds ? OnnxInt64 : OnnxInt32, "batch", "sequence");
        var tokens = graph.Node("Gather", [graph.Weight([vocabularySize, HiddenSize], weights, 1f), ids], null, IntAttribute("axis", 0));
        var hidden = graph.Node("Add", [tokens, graph.Weight([SequenceLength, HiddenSize], weights, 0.1f)]);
        var state = graph.Node("Tanh", [hidden]);
        var pooled = graph.Node("ReduceMean", [state], null, IntsAttribute("axes", 1), IntAttribute("keepdims", 0));
        graph.CastIfNeeded(state, OnnxFloat, floatType, "last_hidden_state");
        graph.CastIfNeeded(pooled, OnnxFloat, floatType, "pooler_output");
        graph.Output("last_hidden_state", floatType, "batch", "sequence", HiddenSize);
        graph.Output("pooler_output", floatType, "batch", HiddenSize);
        if (!variant.WithoutHiddenStates)
        {
            WriteClipSkipOutputs(graph, hidden, state, floatType);
        }

        graph.Save(Path.Combine(folder, "model.onnx"));
        WriteJson(Path.Combine(folder, "config.json"), new JsonObject
        {
            ["architectures"] = new JsonArray("CLIPTextModel"),
            ["hidden_size"] = HiddenSize,
            ["num_hidden_layers"] = TextEncoderLayers,
            ["layer_norm_eps"] = 1e-5,
            ["max_position_embeddings"] = SequenceLength,
            ["vocab_size"] = vocabularySize,
            ["torch_dtype"] = variant.Float16 ? "float16" : "float32",
        });
    }

    /// <summary>
    /// What clip skip reads, as an export with <c>output_hidden_states</c> has it: <c>hidden_states.0</c> (the embeddings)
    /// .. <c>hidden_states.2</c>, and the final layer norm's weights under their PyTorch names. The tiny encoder's layers are
    /// tanh and then identity; its last_hidden_state stays tanh(embeddings), so the images of every other test are unchanged.
    /// The weights come from their own seed, leaving the other components' weights as they were.
    /// </summary>
    private static void WriteClipSkipOutputs(OnnxGraphBuilder graph, string embeddings, string firstLayer, int floatType)
    {
        string[] layers = [embeddings, firstLayer, graph.Node("Identity", [firstLayer])];
        for (var layer = 0; layer < layers.Length; layer++)
        {
            graph.CastIfNeeded(layers[layer], OnnxFloat, floatType, $"hidden_states.{layer}");
            graph.Output($"hidden_states.{layer}", floatType, "batch", "sequence", HiddenSize);
        }

        var norm = new GaussianWeights(WeightSeed + 1);
        graph.NamedWeight("text_model.final_layer_norm.weight", [HiddenSize], Enumerable.Range(0, HiddenSize).Select(_ => 1f + 0.2f * norm.Next()).ToArray());
        graph.NamedWeight("text_model.final_layer_norm.bias", [HiddenSize], Enumerable.Range(0, HiddenSize).Select(_ => 0.1f * norm.Next()).ToArray());
    }

    /// <summary>out_sample = conv1x1(sample) + project(mean of encoder_hidden_states) + 0.001 * timestep.</summary>
    private static void WriteUnet(string folder, GaussianWeights weights, TinyModelVariant variant, int floatType)
    {
        Directory.CreateDirectory(folder);
        var graph = new OnnxGraphBuilder("unet");
        var sample = graph.Input("sample", floatType, "batch", LatentChannels, "height", "width");
        var timestep = variant.Timestep switch
        {
            TimestepInput.Int64Batch => graph.Input("timestep", OnnxInt64, "batch"),
            TimestepInput.FloatBatch => graph.Input("timestep", OnnxFloat, "batch"),
            TimestepInput.FloatSingle => graph.Input("timestep", OnnxFloat, 1),
            _ => graph.Input("timestep", OnnxFloat),
        };
        var context = graph.Input("encoder_hidden_states", floatType, "batch", variant.FixedTokenAxis ? SequenceLength : "sequence", HiddenSize);

        var sample32 = graph.CastIfNeeded(sample, floatType, OnnxFloat);
        var context32 = graph.CastIfNeeded(context, floatType, OnnxFloat);
        var mixed = graph.Node("Conv", [sample32, graph.Weight([LatentChannels, LatentChannels, 1, 1], weights, 0.05f), graph.Weight([LatentChannels], weights, 0.01f)]);
        var pooled = graph.Node("ReduceMean", [context32], null, IntsAttribute("axes", 1), IntAttribute("keepdims", 0));
        var projected = graph.Node("MatMul", [pooled, graph.Weight([HiddenSize, LatentChannels], weights, 0.2f)]);
        var bias = graph.Node("Reshape", [projected, graph.Int64Constant(-1, LatentChannels, 1, 1)]);
        var time = graph.Node("Mul", [graph.CastIfNeeded(timestep, variant.Timestep == TimestepInput.Int64Batch ? OnnxInt64 : OnnxFloat, OnnxFloat), graph.FloatConstant(0.001f)]);
        var timeBias = graph.Node("Reshape", [time, graph.Int64Constant(-1, 1, 1, 1)]);
        var output = graph.Node("Add", [graph.Node("Add", [mixed, sample32]), graph.Node("Add", [bias, timeBias])]);
        if (variant.UnetWidth > 0)
        {
            output = graph.Node("Add", [output, WideStack(graph, sample32, variant.UnetWidth)]);
        }

        graph.CastIfNeeded(output, OnnxFloat, floatType, "out_sample");
        graph.Output("out_sample", floatType, "batch", LatentChannels, "height", "width");
        graph.Save(Path.Combine(folder, "model.onnx"), variant.UnetExternalData);
        WriteJson(Path.Combine(folder, "config.json"), new JsonObject
        {
            ["_class_name"] = "UNet2DConditionModel",
            ["in_channels"] = LatentChannels,
            ["out_channels"] = LatentChannels,
            ["sample_size"] = 64,
            ["cross_attention_dim"] = HiddenSize,
        });
    }

    /// <summary>
    /// conv1x1 to <paramref name="width"/> channels, then per block conv3x3 + ReLU and a per-pixel MatMul (as a UNet's
    /// attention projections), then conv1x1 back to the latent channels at a small scale. Its weights come from their own
    /// seed, so the tiny UNet's weights are those of the default model.
    /// </summary>
    private static string WideStack(OnnxGraphBuilder graph, string sample, int width)
    {
        var weights = new GaussianWeights(WeightSeed + 2);
        var x = graph.Node("Conv", [sample, graph.Weight([width, LatentChannels, 1, 1], weights, 0.5f)]);
        for (var block = 0; block < WideUnetBlocks; block++)
        {
            var convolved = graph.Node("Conv", [x, graph.Weight([width, width, 3, 3], weights, MathF.Sqrt(1f / (9 * width))), graph.Weight([width], weights, 0.01f)], null,
                IntsAttribute("pads", 1, 1, 1, 1));
            var pixels = graph.Node("Transpose", [graph.Node("Relu", [convolved])], null, IntsAttribute("perm", 0, 2, 3, 1));
            var projected = graph.Node("MatMul", [pixels, graph.Weight([width, width], weights, MathF.Sqrt(1f / width))]);
            x = graph.Node("Transpose", [projected], null, IntsAttribute("perm", 0, 3, 1, 2));
        }

        return graph.Node("Conv", [x, graph.Weight([LatentChannels, width, 1, 1], weights, 0.01f / MathF.Sqrt(width))]);
    }

    /// <summary>latent_sample -> conv1x1 to 3*8*8 channels -> DepthToSpace(8) -> tanh = sample (8x larger).</summary>
    private static void WriteVaeDecoder(string folder, GaussianWeights weights, int floatType, float scalingFactor)
    {
        Directory.CreateDirectory(folder);
        var graph = new OnnxGraphBuilder("vae_decoder");
        var latent = graph.CastIfNeeded(graph.Input("latent_sample", floatType, "batch", LatentChannels, "latent_height", "latent_width"), floatType, OnnxFloat);
        const int expanded = ImageChannels * VaeScale * VaeScale;
        var features = graph.Node("Conv", [latent, graph.Weight([expanded, LatentChannels, 1, 1], weights, 0.5f), graph.Weight([expanded], weights, 0.1f)]);
        var pixels = graph.Node("DepthToSpace", [features], null, IntAttribute("blocksize", VaeScale), StringAttribute("mode", "DCR"));
        graph.CastIfNeeded(graph.Node("Tanh", [pixels]), OnnxFloat, floatType, "sample");
        graph.Output("sample", floatType, "batch", ImageChannels, "height", "width");
        graph.Save(Path.Combine(folder, "model.onnx"));
        WriteJson(Path.Combine(folder, "config.json"), VaeConfig(scalingFactor));
    }

    /// <summary>
    /// sample -> SpaceToDepth(8) -> conv1x1 = latent_sample (4 channels) or latent_parameters (8: mean, log-variance); the
    /// sampling form computes the 8 and outputs mean + exp(log-variance / 2) * RandomNormalLike(mean) as latent_sample.
    /// </summary>
    private static void WriteVaeEncoder(string folder, GaussianWeights weights, TinyModelVariant variant, int floatType, float scalingFactor)
    {
        Directory.CreateDirectory(folder);
        var graph = new OnnxGraphBuilder("vae_encoder");
        var image = graph.CastIfNeeded(graph.Input("sample", floatType, "batch", ImageChannels, "height", "width"), floatType, OnnxFloat);
        const int expanded = ImageChannels * VaeScale * VaeScale;
        var blocks = graph.Node("SpaceToDepth", [image], null, IntAttribute("blocksize", VaeScale));
        var parameters = variant.LatentParameters || variant.SamplingVaeEncoder;
        var channels = parameters ? 2 * LatentChannels : LatentChannels;
        var latent = graph.Node("Conv", [blocks, graph.Weight([channels, expanded, 1, 1], weights, 0.1f), graph.Weight([channels], weights, 0.01f)]);
        if (variant.SamplingVaeEncoder)
        {
            var mean = graph.Node("Slice", [latent, graph.Int64Constant(0), graph.Int64Constant(LatentChannels), graph.Int64Constant(1)]);
            var logVariance = graph.Node("Slice", [latent, graph.Int64Constant(LatentChannels), graph.Int64Constant(channels), graph.Int64Constant(1)]);
            var std = graph.Node("Exp", [graph.Node("Mul", [logVariance, graph.FloatConstant(0.5f)])]);
            var drawn = graph.Node("Add", [mean, graph.Node("Mul", [std, graph.Node("RandomNormalLike", [mean])])]);
            graph.CastIfNeeded(drawn, OnnxFloat, floatType, "latent_sample");
            graph.Output("latent_sample", floatType, "batch", LatentChannels, "latent_height", "latent_width");
        }
        else
        {
            var name = variant.LatentParameters ? "latent_parameters" : "latent_sample";
            graph.CastIfNeeded(latent, OnnxFloat, floatType, name);
            graph.Output(name, floatType, "batch", channels, "latent_height", "latent_width");
        }

        graph.Save(Path.Combine(folder, "model.onnx"));
        WriteJson(Path.Combine(folder, "config.json"), VaeConfig(scalingFactor));
    }

    private static JsonObject VaeConfig(float scalingFactor) => new()
    {
        ["_class_name"] = "AutoencoderKL",
        ["latent_channels"] = LatentChannels,
        ["scaling_factor"] = scalingFactor,
        ["block_out_channels"] = new JsonArray(8, 8, 8, 8),
        ["sample_size"] = 512,
    };

    private static void WriteJson(string path, JsonNode node) => File.WriteAllText(path, node.ToJsonString(JsonOptions));
}
