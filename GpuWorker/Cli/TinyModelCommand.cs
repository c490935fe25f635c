using SdServerless.GpuWorker.Diffusion.TinyModels;

namespace SdServerless.GpuWorker.Cli;

/// <summary><c>tiny-model --out DIR [--variant sdxl,fp16,int64-ids,...]</c>: writes a tiny random model folder (SD 1.x-shaped, or SDXL-shaped with <c>sdxl</c> or <c>sdxl-turbo</c>).</summary>
public static class TinyModelCommand
{
    public static readonly string[] Options = ["out", "variant"];

    public static int Run(CliArguments args)
    {
        var folder = args.Required("out");
        TinyModelGenerator.Generate(folder, TinyModelVariant.Parse(args.Text("variant")));
        Console.WriteLine($"Wrote a tiny random {(args.Text("variant")?.Contains("sdxl", StringComparison.OrdinalIgnoreCase) == true ? "SDXL" : "Stable Diffusion")} model (its images are noise) to {Path.GetFullPath(folder)}");
        return 0;
    }
}
