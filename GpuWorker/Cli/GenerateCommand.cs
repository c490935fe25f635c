using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.GpuWorker.Cli;

/// <summary>
/// <c>generate --model DIR --prompt "..." [options]</c>: one generation without the queue, with a progress bar. Width and
/// height default to the model's native size (512 for SD 1.x and SDXL-Turbo, 1024 for SDXL); a Turbo model defaults to 1 step at cfg 0.
/// </summary>
public static class GenerateCommand
{
    public static readonly string[] Options =
    [
        "model", "prompt", "negative-prompt", "sampler", "steps", "seed", "width", "height", "cfg-scale", "batch-size",
        "init-image", "denoising-strength", "out", "execution-provider", "device-id",
    ];

    public static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        var settings = new DiffusionOptions
        {
            ModelPath = args.Required("model"),
            ExecutionProvider = args.Text("execution-provider") ?? "cuda",
            DeviceId = args.Integer("device-id", 0),
            WarmupSteps = 0,
        };

        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
        using var engine = new DiffusionEngine(Microsoft.Extensions.Options.Options.Create(settings), loggerFactory.CreateLogger<DiffusionEngine>());
        engine.Load(cancellationToken);

        // Defaults from the model: its native size; a Turbo model runs 1 step without guidance.
        var facts = engine.Facts!;
        var initImagePath = args.Text("init-image");
        var request = new GenerationRequest(
            args.Required("prompt"),
            args.Text("negative-prompt"),
            args.Integer("width", facts.NativeSize),
            args.Integer("height", facts.NativeSize),
            args.Integer("steps", facts.Turbo ? 1 : 20),
            args.Float("cfg-scale", facts.Turbo ? 0f : 7f),
            args.Long("seed", -1),
            args.Text("sampler") ?? "Euler a",
            args.Integer("batch-size", 1),
            args.Double("denoising-strength", 0.75),
            initImagePath is null ? null : await File.ReadAllBytesAsync(initImagePath, cancellationToken));
        var result = await engine.GenerateAsync(request, new ProgressBar(Console.Error), cancellationToken);

        var output = args.Text("out") ?? "image.png";
        for (var i = 0; i < result.Images.Count; i++)
        {
            var path = i == 0 ? output : Path.ChangeExtension(output, null) + $"-{i}" + Path.GetExtension(output);
            await File.WriteAllBytesAsync(path, result.Images[i].Png, cancellationToken);
            Console.WriteLine($"{path} (seed {result.Images[i].Seed})");
        }

        if (result.PromptTruncated)
        {
            Console.Error.WriteLine("Note: the prompt was longer than the text encoder's 77 tokens and was truncated.");
        }

        return 0;
    }
}
