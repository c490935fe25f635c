using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Diffusion.Models;

namespace SdServerless.GpuWorker.Cli;

/// <summary>
/// <c>generate --model DIR --prompt "..." [options]</c>: one generation without the queue, with a progress bar. Width and
/// height default to the model's native size (512 for SD 1.x and SDXL-Turbo, 1024 for SDXL); a Turbo model defaults to 1 step at cfg 0.
/// </summary>
public static class GenerateCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "An optimum-layout ONNX model folder.", Required = true };
    private static readonly Option<string> Prompt = new("--prompt") { Required = true };
    private static readonly Option<string?> NegativePrompt = new("--negative-prompt");
    private static readonly Option<string> Sampler = new("--sampler") { DefaultValueFactory = _ => "Euler a" };
    private static readonly Option<int?> Steps = new("--steps") { Description = "Default: 20, or 1 for a Turbo model." };
    private static readonly Option<long> Seed = new("--seed") { Description = "-1 picks one.", DefaultValueFactory = _ => -1 };
    private static readonly Option<string> Scheduler = new("--scheduler") { Description = "A1111's schedule: Automatic, Uniform or Karras.", DefaultValueFactory = _ => "Automatic" };
    private static readonly Option<string> Rng = new("--rng") { Description = "cpu (PyTorch's CPU generator) or nv (A1111's NV source).", DefaultValueFactory = _ => "cpu" };
    private static readonly Option<int?> Width = new("--width") { Description = "Default: the model's native size." };
    private static readonly Option<int?> Height = new("--height") { Description = "Default: the model's native size." };
    private static readonly Option<float?> CfgScale = new("--cfg-scale") { Description = "Default: 7, or 0 for a Turbo model." };
    private static readonly Option<int> BatchSize = new("--batch-size") { DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> InitImage = new("--init-image") { Description = "A PNG or JPEG: image-to-image." };
    private static readonly Option<double> DenoisingStrength = new("--denoising-strength") { DefaultValueFactory = _ => 0.75 };
    private static readonly Option<string> Out = new("--out") { Description = "The first image's path; more get -1, -2, ...", DefaultValueFactory = _ => "image.png" };
    private static readonly Option<string> ExecutionProvider = new("--execution-provider") { Description = "auto (CUDA, else the CPU with a warning), cuda (CUDA or fail) or cpu.", DefaultValueFactory = _ => "auto" };
    private static readonly Option<int> DeviceId = new("--device-id") { DefaultValueFactory = _ => 0 };

    public static (Command Command, Func<ParseResult, CancellationToken, Task<int>> Run) Create() =>
        (new Command("generate", "One generation without the queue, with a progress bar.")
        {
            Model, Prompt, NegativePrompt, Sampler, Scheduler, Steps, Seed, Rng, Width, Height, CfgScale, BatchSize, InitImage, DenoisingStrength, Out, ExecutionProvider, DeviceId,
        }, RunAsync);

    private static async Task<int> RunAsync(ParseResult args, CancellationToken cancellationToken)
    {
        var settings = new DiffusionOptions
        {
            ModelPath = args.GetValue(Model),
            ExecutionProvider = args.GetValue(ExecutionProvider)!,
            DeviceId = args.GetValue(DeviceId),
            WarmupSteps = 0,
        };

        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
        using var engine = new DiffusionEngine(Microsoft.Extensions.Options.Options.Create(settings), loggerFactory.CreateLogger<DiffusionEngine>());
        engine.Load(cancellationToken);

        // Defaults from the model: its native size; a Turbo model runs 1 step without guidance.
        var facts = engine.Facts!;
        var initImagePath = args.GetValue(InitImage);
        var request = new GenerationRequest(
            args.GetValue(Prompt)!,
            args.GetValue(NegativePrompt),
            args.GetValue(Width) ?? facts.NativeSize,
            args.GetValue(Height) ?? facts.NativeSize,
            args.GetValue(Steps) ?? (facts.Turbo ? 1 : 20),
            args.GetValue(CfgScale) ?? (facts.Turbo ? 0f : 7f),
            args.GetValue(Seed),
            args.GetValue(Sampler)!,
            args.GetValue(BatchSize),
            args.GetValue(DenoisingStrength),
            initImagePath is null ? null : await File.ReadAllBytesAsync(initImagePath, cancellationToken))
        {
            Scheduler = args.GetValue(Scheduler)!,
            Rng = RngSources.Parse(args.GetValue(Rng)) ?? throw new ArgumentException($"--rng {args.GetValue(Rng)}: use cpu or nv"),
        };
        var result = await engine.GenerateAsync(request, new ProgressBar(Console.Error), cancellationToken);

        var output = args.GetValue(Out)!;
        for (var i = 0; i < result.Images.Count; i++)
        {
            var path = i == 0 ? output : Path.ChangeExtension(output, null) + $"-{i}" + Path.GetExtension(output);
            await File.WriteAllBytesAsync(path, result.Images[i].Png, cancellationToken);
            Console.WriteLine($"{path} (seed {result.Images[i].Seed})");
        }

        if (result.PromptTokens is { } tokens)
        {
            Console.Error.WriteLine($"Prompt: {tokens.PromptTokens} tokens, negative prompt: {tokens.NegativePromptTokens} tokens, {tokens.ContextTokens} tokens of conditioning per image.");
        }

        return 0;
    }
}
