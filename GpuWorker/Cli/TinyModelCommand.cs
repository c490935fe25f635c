using System.CommandLine;
using SdServerless.GpuWorker.Diffusion.TinyModels;

namespace SdServerless.GpuWorker.Cli;

/// <summary><c>tiny-model --out DIR [--variant sdxl,fp16,int64-ids,...]</c>: writes a tiny random model folder (SD 1.x-shaped, or SDXL-shaped with <c>sdxl</c> or <c>sdxl-turbo</c>).</summary>
public static class TinyModelCommand
{
    private static readonly Option<string> Out = new("--out") { Description = "The folder to write.", Required = true };
    private static readonly Option<string?> Variant = new("--variant") { Description = "Comma-separated: sdxl, sdxl-turbo, fp16, int64-ids, single-timestep, width=N (a wide SD 1.x UNet), external-data, ..." };

    public static (Command Command, Func<ParseResult, CancellationToken, Task<int>> Run) Create() =>
        (new Command("tiny-model", "Writes a tiny random model folder for tests and local runs.") { Out, Variant }, (args, _) => Task.FromResult(Run(args)));

    private static int Run(ParseResult args)
    {
        var folder = args.GetValue(Out)!;
        var variant = args.GetValue(Variant);
        TinyModelGenerator.Generate(folder, TinyModelVariant.Parse(variant));
        Console.WriteLine($"Wrote a tiny random {(variant?.Contains("sdxl", StringComparison.OrdinalIgnoreCase) == true ? "SDXL" : "Stable Diffusion")} model (its images are noise) to {Path.GetFullPath(folder)}");
        return 0;
    }
}
