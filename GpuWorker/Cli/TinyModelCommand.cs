using SdServerless.GpuWorker.Diffusion.TinyModels;

namespace SdServerless.GpuWorker.Cli;

/// <summary><c>tiny-model --out DIR [--variant fp16,int64-ids,...]</c>: writes a tiny random model folder.</summary>
public static class TinyModelCommand
{
    public static readonly string[] Options = ["out", "variant"];

    public static int Run(CliArguments args)
    {
        var folder = args.Required("out");
        TinyModelGenerator.Generate(folder, TinyModelVariant.Parse(args.Text("variant")));
        Console.WriteLine($"Wrote a tiny random Stable Diffusion model (its images are noise) to {Path.GetFullPath(folder)}");
        return 0;
    }
}
