using System.Text.Json.Nodes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.TinyModels;
using static SdServerless.GpuWorker.Diffusion.TinyModels.OnnxGraphBuilder;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>An SDXL folder the engine cannot run is refused at load, with a reason naming the missing or wrong part.</summary>
public sealed class SdxlModelLoadTests(SdxlModelFixture fixture) : IClassFixture<SdxlModelFixture>
{
    [Theory]
    [InlineData("text_encoder_2")]
    [InlineData("tokenizer_2")]
    [InlineData("text_encoder")]
    public void AMissingComponentIsNamed(string part)
    {
        var folder = fixture.Generate($"missing-{part}", TinyModelVariant.Parse("sdxl"));
        Directory.Delete(Path.Combine(folder, part), recursive: true);
        var error = Assert.Throws<ModelLoadException>(() => Load(folder));
        Assert.Contains($"no {part}/", error.Message);
    }

    [Fact]
    public void TheRefinerIsRefusedWithTheReason()
    {
        var folder = fixture.Generate("refiner", TinyModelVariant.Parse("sdxl"));
        var indexPath = Path.Combine(folder, "model_index.json");
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!;
        index["_class_name"] = "StableDiffusionXLImg2ImgPipeline";
        index["requires_aesthetics_score"] = true;
        File.WriteAllText(indexPath, index.ToJsonString());
        Assert.Contains("refiner", Assert.Throws<ModelLoadException>(() => Load(folder)).Message);
    }

    [Fact]
    public void ASecondEncoderWithoutTextEmbedsIsRefused()
    {
        var folder = fixture.Generate("no-text-embeds", TinyModelVariant.Parse("sdxl"));
        var graph = new OnnxGraphBuilder("text_encoder_2");
        var ids = graph.Input("input_ids", OnnxInt32, "batch", "sequence");
        var states = graph.Node("Cast", [graph.Node("Unsqueeze", [ids, graph.Int64Constant(2)])], null, IntAttribute("to", OnnxFloat));
        graph.Node("Identity", [states], "hidden_states.0");
        graph.Node("Identity", [states], "hidden_states.1");
        graph.Output("hidden_states.0", OnnxFloat, "batch", "sequence", 1);
        graph.Output("hidden_states.1", OnnxFloat, "batch", "sequence", 1);
        graph.Save(Path.Combine(folder, "text_encoder_2", "model.onnx"));
        Assert.Contains("'text_embeds'", Assert.Throws<ModelLoadException>(() => Load(folder)).Message);
    }

    [Fact]
    public void AnSdxlFolderWhoseUnetLacksTheAddedInputsIsRefused()
    {
        var folder = fixture.Generate("sd-unet-in-sdxl", TinyModelVariant.Parse("sdxl"));
        var sd = fixture.Generate("sd-for-unet", TinyModelVariant.Default);
        File.Copy(Path.Combine(sd, "unet", "model.onnx"), Path.Combine(folder, "unet", "model.onnx"), overwrite: true);
        var error = Assert.Throws<ModelLoadException>(() => Load(folder));
        Assert.Contains("'text_embeds' and 'time_ids'", error.Message);
    }

    [Fact]
    public void AnSdFolderWithAnSdxlUnetIsRefused()
    {
        var folder = fixture.Generate("sdxl-unet-in-sd", TinyModelVariant.Default);
        File.Copy(Path.Combine(fixture.Root, "tiny-sdxl", "unet", "model.onnx"), Path.Combine(folder, "unet", "model.onnx"), overwrite: true);
        Assert.Contains("text_encoder_2/", Assert.Throws<ModelLoadException>(() => Load(folder)).Message);
    }

    [Fact]
    public void AVaeThatOverflowsIsAnEngineFaultNamingTheFp16Fix()
    {
        var folder = fixture.Generate("nan-vae", TinyModelVariant.Parse("sdxl"));
        WriteOverflowingDecoder(Path.Combine(folder, "vae_decoder", "model.onnx"));
        using var pipeline = new StableDiffusionPipeline(Load(folder));
        var error = Assert.Throws<EngineFaultException>(() => pipeline.Run(Request(steps: 1), null, CancellationToken.None));
        Assert.Contains("fp16-fix", error.Message);
    }

    [Fact]
    public void AnOverflowingVaeDecodesAgainWithTheFp32DecoderBesideIt()
    {
        // Both folders are named "model": the PNG parameters name the model.
        var reference = fixture.Generate(Path.Combine("reference", "model"), TinyModelVariant.Parse("sdxl"));
        var folder = fixture.Generate(Path.Combine("with-fp32-vae", "model"), TinyModelVariant.Parse("sdxl"));
        Directory.CreateDirectory(Path.Combine(folder, "vae_decoder_fp32"));
        File.Move(Path.Combine(folder, "vae_decoder", "model.onnx"), Path.Combine(folder, "vae_decoder_fp32", "model.onnx"));
        WriteOverflowingDecoder(Path.Combine(folder, "vae_decoder", "model.onnx"));
        using var expected = new StableDiffusionPipeline(Load(reference));
        using var pipeline = new StableDiffusionPipeline(Load(folder));

        Assert.NotNull(pipeline.Model.VaeDecoderFp32);
        Assert.Equal(expected.Run(Request(steps: 2), null, CancellationToken.None).Images[0].Png, pipeline.Run(Request(steps: 2), null, CancellationToken.None).Images[0].Png);
    }

    /// <summary>A decoder of the real shape whose every pixel is sqrt(-1 - x^2): NaN, as an overflowing VAE gives.</summary>
    private static void WriteOverflowingDecoder(string path)
    {
        var graph = new OnnxGraphBuilder("vae_decoder");
        var latent = graph.Input("latent_sample", OnnxFloat, "batch", TinyModelGenerator.LatentChannels, "latent_height", "latent_width");
        var pixels = graph.Node("DepthToSpace", [graph.Node("Tile", [latent, graph.Int64Constant(1, 48, 1, 1)])], null, IntAttribute("blocksize", 8), StringAttribute("mode", "DCR"));
        graph.Node("Sqrt", [graph.Node("Sub", [graph.Node("Neg", [graph.Node("Mul", [pixels, pixels])]), graph.FloatConstant(1f)])], "sample");
        graph.Output("sample", OnnxFloat, "batch", 3, "height", "width");
        graph.Save(path);
    }
}
