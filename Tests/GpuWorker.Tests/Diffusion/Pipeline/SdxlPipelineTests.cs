using System.Text.Json.Nodes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.TinyModels;
using StbImageSharp;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>SDXL through the same pipeline: two text encoders, pooled text_embeds, time_ids, and the same guarantees as SD 1.x.</summary>
public sealed class SdxlPipelineTests(SdxlModelFixture fixture) : IClassFixture<SdxlModelFixture>
{
    private GenerationResult Run(GenerationRequest request, IProgress<DenoiseProgress>? progress = null, CancellationToken cancellationToken = default) =>
        fixture.Pipeline.Run(request, progress, cancellationToken);

    private static ImageResult DecodePng(byte[] png) => ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);

    [Fact]
    public void TextToImageGivesAPngOfTheRequestedSizeWithParameters()
    {
        var request = Request(negative: "blurry") with { Width = 128, Height = 192 };
        var png = Run(request).Images[0].Png;
        var image = DecodePng(png);
        Assert.Equal(128, image.Width);
        Assert.Equal(192, image.Height);
        Assert.Contains(image.Data, value => value != image.Data[0]);
        Assert.Contains("parameters\0a photo of a cat\nNegative prompt: blurry\nSteps: 4, Sampler: Euler a, Schedule type: Uniform, CFG scale: 7, Seed: 42, Size: 128x192, Model: tiny-sdxl",
            System.Text.Encoding.Latin1.GetString(png));
    }

    [Fact]
    public void TheSameInputsAndSeedGiveIdenticalPngBytes() =>
        Assert.Equal(Run(Request(seed: 3)).Images[0].Png, Run(Request(seed: 3)).Images[0].Png);

    [Fact]
    public void ABatchUnderGuidanceMatchesSingleRuns()
    {
        var batch = Run(Request(seed: 100, batch: 2));
        Assert.Equal(DecodePng(Run(Request(seed: 101)).Images[0].Png).Data, DecodePng(batch.Images[1].Png).Data);
    }

    [Fact]
    public void ImageToImageRunsTheStrengthShareOfTheSteps()
    {
        var init = Run(Request(seed: 9)).Images[0].Png;
        var progress = new RecordingProgress();
        var result = Run(Request(steps: 10, strength: 0.3, init: init, sampler: "Euler"), progress);
        Assert.Equal(3, progress.Reports.Count);
        Assert.Equal(64, DecodePng(result.Images[0].Png).Width);
        Assert.Contains("Denoising strength: 0.3", System.Text.Encoding.Latin1.GetString(result.Images[0].Png));
    }

    [Fact]
    public void ThePromptAndTheNegativePromptGoThroughBothEncoders()
    {
        var baseline = DecodePng(Run(Request(negative: "blurry")).Images[0].Png).Data;
        Assert.NotEqual(baseline, DecodePng(Run(Request(negative: "ugly")).Images[0].Png).Data);
        Assert.NotEqual(baseline, DecodePng(Run(Request(prompt: "a photo of a dog", negative: "blurry")).Images[0].Png).Data);
    }

    [Fact]
    public void AnEmptyNegativePromptIsZeroEmbeddingsWhenTheModelSaysSo()
    {
        var folder = fixture.Generate("no-force-zeros", TinyModelVariant.Parse("sdxl"));
        var indexPath = Path.Combine(folder, "model_index.json");
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!;
        index["force_zeros_for_empty_prompt"] = false;
        File.WriteAllText(indexPath, index.ToJsonString());
        using var encodesEmpty = new StableDiffusionPipeline(Load(folder));
        Assert.True(fixture.Pipeline.Model.ForceZerosForEmptyPrompt);
        Assert.False(encodesEmpty.Model.ForceZerosForEmptyPrompt);

        var zeroed = DecodePng(Run(Request(negative: "")).Images[0].Png).Data;
        Assert.Equal(zeroed, DecodePng(Run(Request(negative: null)).Images[0].Png).Data);
        Assert.NotEqual(zeroed, DecodePng(encodesEmpty.Run(Request(negative: ""), null, CancellationToken.None).Images[0].Png).Data);
    }

    [Fact]
    public void TimeIdsComeFromTheRequestAndAnEmptyNegativePromptPoolsToZeros()
    {
        Run(Request(negative: "") with { Width = 128, Height = 192 });
        var model = fixture.Pipeline.Model;
        var binding = model.Unet.Bind(2, 192 / 8, 128 / 8, 77, model.ContextSize);
        var timeIds = new float[2 * 6];
        binding.TimeIds!.Read(timeIds);
        Assert.Equal([192f, 128f, 0f, 0f, 192f, 128f, 192f, 128f, 0f, 0f, 192f, 128f], timeIds);

        var pooled = new float[2 * TinyModelGenerator.SdxlProjection];
        binding.TextEmbeds!.Read(pooled);
        Assert.All(pooled.Take(TinyModelGenerator.SdxlProjection), value => Assert.Equal(0f, value));
        Assert.Contains(pooled.Skip(TinyModelGenerator.SdxlProjection), value => value != 0f);

        var context = new float[2 * 77 * model.ContextSize];
        binding.Context.Read(context);
        Assert.All(context.Take(77 * model.ContextSize), value => Assert.Equal(0f, value));
        Assert.Contains(context.Skip(77 * model.ContextSize), value => value != 0f);
    }

    [Fact]
    public void TheLoaderReadsThePenultimateLayersThePooledEmbeddingAndTheAddedUnetInputs()
    {
        var model = fixture.Pipeline.Model;
        Assert.Equal(ModelFamily.StableDiffusionXL, model.Family);
        Assert.Equal($"hidden_states.{TinyModelGenerator.SdxlLayers - 1}", model.TextEncoder.StatesOutput);
        Assert.Equal($"hidden_states.{TinyModelGenerator.SdxlLayers - 1}", model.TextEncoder2!.StatesOutput);
        Assert.Equal(TinyModelGenerator.SdxlProjection, model.TextEncoder2.PooledSize);
        Assert.Equal(TinyModelGenerator.HiddenSize + TinyModelGenerator.SdxlHiddenSize2, model.ContextSize);
        Assert.Equal(TinyModelGenerator.SdxlProjection, model.Unet.TextEmbedsSize);
        Assert.Equal(6, model.Unet.TimeIdsCount);
        Assert.Equal(TinyModelGenerator.SdxlScalingFactor, model.ScalingFactor);
        Assert.Equal(0, model.Tokenizer2!.PadId);
        Assert.Equal(model.Tokenizer.EosId, model.Tokenizer.PadId);
    }

    [Fact]
    public void FactsComeFromTheModel()
    {
        var facts = fixture.Pipeline.Facts;
        Assert.Equal(ModelFamily.StableDiffusionXL, facts.Family);
        Assert.False(facts.Turbo);
        Assert.Equal(1024, facts.NativeSize);
        Assert.Equal(StableDiffusionPipeline.SizeMultiple, facts.SizeMultiple);
        Assert.Equal(StableDiffusionPipeline.MaxSteps, facts.MaxSteps);
        Assert.True(facts.ImageToImage);
        Assert.Contains("DPM++ 2M Karras", facts.Samplers);
    }

    [Theory]
    [InlineData("sdxl,fp16")]
    [InlineData("sdxl,int64-ids,float-timestep")]
    [InlineData("sdxl,scalar-timestep,latent-parameters")]
    [InlineData("sdxl,single-timestep")]
    public void EachSdxlExportVariantGeneratesTextToImageAndImageToImage(string variant)
    {
        using var pipeline = new StableDiffusionPipeline(Load(fixture.Generate(variant.Replace(',', '-'), TinyModelVariant.Parse(variant))));
        var textToImage = pipeline.Run(Request(steps: 3), null, CancellationToken.None).Images[0].Png;
        var imageToImage = pipeline.Run(Request(steps: 4, init: textToImage), null, CancellationToken.None).Images[0].Png;
        Assert.Equal(64, DecodePng(textToImage).Width);
        Assert.Equal(64, DecodePng(imageToImage).Height);
    }

    [Fact]
    public void SdxlTurboRunsOneToFourStepsWithoutGuidance()
    {
        using var turbo = new StableDiffusionPipeline(Load(fixture.Generate("tiny-sdxl-turbo", TinyModelVariant.Parse("sdxl-turbo"))));
        var facts = turbo.Facts;
        Assert.True(facts.Turbo);
        Assert.Equal(512, facts.NativeSize);
        Assert.Equal(4, facts.MaxSteps);
        Assert.Equal(1f, facts.MaxCfgScale);
        Assert.Equal("trailing", turbo.Model.SchedulerConfig.TimestepSpacing);

        var progress = new RecordingProgress();
        var image = DecodePng(turbo.Run(Request(steps: 1, cfg: 0f), progress, CancellationToken.None).Images[0].Png);
        Assert.Equal(64, image.Width);
        Assert.Single(progress.Reports);
        Assert.Equal("invalid_steps", Assert.Throws<GenerationInputException>(() => turbo.Run(Request(steps: 5, cfg: 0f), null, CancellationToken.None)).Code);
        var cfg = Assert.Throws<GenerationInputException>(() => turbo.Run(Request(steps: 2, cfg: 7f), null, CancellationToken.None));
        Assert.Equal("invalid_cfg_scale", cfg.Code);
        Assert.Contains("Turbo", cfg.Message);
    }

    [Fact]
    public void CancellationFromTheProgressCallbackStopsAtThatStep()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(report =>
        {
            if (report.Step == 2)
            {
                cancellation.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => Run(Request(steps: 6), progress, cancellation.Token));
        Assert.Equal(2, progress.Reports.Count);
        Assert.Equal(2, fixture.Pipeline.LastLoop.UnetRuns);
    }
}
