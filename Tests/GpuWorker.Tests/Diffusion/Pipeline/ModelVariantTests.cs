using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.TinyModels;
using StbImageSharp;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>Exports differ in dtypes and names; each variant must load and run text-to-image and image-to-image.</summary>
public sealed class ModelVariantTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Theory]
    [InlineData("int64-ids")]
    [InlineData("float-timestep")]
    [InlineData("scalar-timestep")]
    [InlineData("single-timestep")]
    [InlineData("fp16")]
    [InlineData("fp16,float-timestep,int64-ids")]
    [InlineData("latent-parameters")]
    [InlineData("sd2-pad,trailing")]
    [InlineData("width=16,external-data")]
    public void EachExportVariantGeneratesTextToImageAndImageToImage(string variant)
    {
        var folder = fixture.Generate(variant.Replace(',', '-'), TinyModelVariant.Parse(variant));
        using var pipeline = new StableDiffusionPipeline(Load(folder));
        var textToImage = pipeline.Run(Request(steps: 3), null, CancellationToken.None).Images[0].Png;
        var imageToImage = pipeline.Run(Request(steps: 4, init: textToImage, strength: 0.5f), null, CancellationToken.None).Images[0].Png;
        foreach (var png in new[] { textToImage, imageToImage })
        {
            var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
            Assert.Equal(64, image.Width);
            Assert.Equal(64, image.Height);
        }
    }

    [Fact]
    public void Sd2PaddingIsReadFromSpecialTokensMap()
    {
        using var model = Load(fixture.Generate("sd2-pad", TinyModelVariant.Parse("sd2-pad")));
        Assert.Equal(0, model.Tokenizer.PadId);
        using var sd1 = Load(fixture.Generate("sd1-pad", TinyModelVariant.Default));
        Assert.Equal(sd1.Tokenizer.EosId, sd1.Tokenizer.PadId);
    }

    [Fact]
    public void ConstantsComeFromTheComponentConfigs()
    {
        var model = fixture.Pipeline.Model;
        Assert.Equal(TinyModelGenerator.ScalingFactor, model.ScalingFactor);
        Assert.Equal(4, model.LatentChannels);
        Assert.Equal(8, model.VaeScaleFactor);
        Assert.Equal(512, model.NativeSize);
        Assert.Equal(TinyModelGenerator.HiddenSize, model.TextEncoder.HiddenSize);
    }

    [Fact]
    public void AModelWithoutVaeEncoderRefusesImageToImage()
    {
        using var pipeline = new StableDiffusionPipeline(Load(fixture.Generate("no-encoder", TinyModelVariant.Parse("no-vae-encoder"))));
        var png = pipeline.Run(Request(), null, CancellationToken.None).Images[0].Png;
        var error = Assert.Throws<GenerationInputException>(() => pipeline.Run(Request(init: png), null, CancellationToken.None));
        Assert.Equal("img2img_unsupported", error.Code);
    }

    [Fact]
    public void AMissingFileIsAnErrorNamingIt()
    {
        var folder = fixture.Generate("missing-unet", TinyModelVariant.Default);
        var path = Path.Combine(folder, "unet", "model.onnx");
        File.Delete(path);
        var error = Assert.Throws<ModelLoadException>(() => Load(folder));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void ACorruptModelFileIsAnErrorNamingIt()
    {
        var folder = fixture.Generate("corrupt-vae", TinyModelVariant.Default);
        var path = Path.Combine(folder, "vae_decoder", "model.onnx");
        File.WriteAllBytes(path, [0x08, 0xFF, 0xFF, 0x13, 0x37]);
        var error = Assert.Throws<ModelLoadException>(() => Load(folder));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void ACorruptJsonFileIsAnErrorNamingIt()
    {
        var folder = fixture.Generate("corrupt-scheduler", TinyModelVariant.Default);
        var path = Path.Combine(folder, "scheduler", "scheduler_config.json");
        File.WriteAllText(path, "{ not json");
        var error = Assert.Throws<ModelLoadException>(() => Load(folder));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void AFolderThatNamesItselfSdxlWithoutTheSecondEncoderIsRefusedNamingIt()
    {
        var folder = fixture.Generate("sdxl", TinyModelVariant.Default);
        File.WriteAllText(Path.Combine(folder, "model_index.json"), """{"_class_name": "ORTStableDiffusionXLPipeline", "text_encoder_2": ["diffusers", "OnnxRuntimeModel"]}""");
        var error = Assert.Throws<ModelLoadException>(() => Load(folder));
        Assert.Contains("SDXL", error.Message);
        Assert.Contains("no text_encoder_2/", error.Message);
    }

    [Fact]
    public void AnInpaintingUnetIsRefused()
    {
        var folder = fixture.Generate("inpainting", TinyModelVariant.Default);
        File.WriteAllText(Path.Combine(folder, "unet", "config.json"), """{"in_channels": 9}""");
        var error = Assert.Throws<ModelLoadException>(() => Load(folder));
        Assert.Contains("9 input channels", error.Message);
    }

    [Fact]
    public void AMissingFolderIsAnErrorNamingIt()
    {
        var folder = Path.Combine(fixture.Root, "nowhere");
        Assert.Contains(folder, Assert.Throws<ModelLoadException>(() => Load(folder)).Message);
    }

    [Fact]
    public void TheGeneratorWritesTheSameBytesEveryTime()
    {
        var first = fixture.Generate("same-1", TinyModelVariant.Default);
        var second = fixture.Generate("same-2", TinyModelVariant.Default);
        foreach (var file in Directory.GetFiles(first, "*", SearchOption.AllDirectories))
        {
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(second, Path.GetRelativePath(first, file))));
        }
    }
}
