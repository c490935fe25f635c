using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.TinyModels;

namespace SdServerless.Diffusion.Benchmarks;

/// <summary>
/// <c>peak-memory [width] [steps] [external-data]</c>: generates an SD 1.x tiny model with a wide UNet (<c>width=N</c>, default 640),
/// then for each <see cref="SessionMemorySetting"/> loads it and generates in a fresh process, reading that process's peak
/// resident memory (VmHWM) from /proc/self/status. Figures are printed against the weights' size and the engine's
/// defaults measured in the same run (the first setting, the engine before decision 0417). Peak memory is the main figure; step time is shared-CPU wall time.
/// </summary>
public static class PeakMemoryBenchmark
{
    public const string Command = "peak-memory";
    public const string ChildCommand = "peak-memory-one";
    private const string ResultPrefix = "RESULT ";

    public static int Run(string[] args)
    {
        var width = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 640;
        var steps = args.Length > 1 ? args[1] : "4";
        var externalData = args.Contains("external-data");
        var folder = Directory.CreateTempSubdirectory("sd-peak-memory-").FullName;
        try
        {
            TinyModelGenerator.Generate(folder, TinyModelVariant.Parse($"width={width}{(externalData ? ",external-data" : "")}"));
            var allBytes = Directory.EnumerateFiles(folder, "*.onnx*", SearchOption.AllDirectories).Sum(path => new FileInfo(path).Length);
            Console.WriteLine($"UNet width {width}{(externalData ? " (weights in model.onnx_data)" : "")}: all graphs {Mib(allBytes):F0} MiB; 64x64, {steps} steps Euler, CFG 7, after a 1-step warm-up");
            Console.WriteLine("| setting | peak RSS after load (MiB) | peak RSS (MiB) | peak / weights | peak / defaults | step (ms) |");
            Console.WriteLine("|---|---|---|---|---|---|");
            double? baseline = null;
            foreach (var setting in SessionMemorySetting.All)
            {
                var (loadKib, peakKib, stepMs) = Child(folder, setting.Name, steps);
                baseline ??= peakKib;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {setting.Name} | {loadKib / 1024:F0} | {peakKib / 1024:F0} | {peakKib * 1024 / allBytes:F2} | {peakKib / baseline:F2} | {stepMs:F0} |"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>In the child process: load, warm up one step, generate, then print the peak figures.</summary>
    public static int RunOne(string[] args)
    {
        var (folder, setting, steps) = (args[0], SessionMemorySetting.Named(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture));
        var options = new DiffusionOptions { ExecutionProvider = "cpu" };
        setting.Apply(options);
        using var pipeline = new StableDiffusionPipeline(StableDiffusionModel.Load(folder, new ExecutionProviders(options, NullLogger.Instance)));
        var loadKib = StatusKib("VmHWM");
        Generate(pipeline, 1);
        var watch = Stopwatch.StartNew();
        Generate(pipeline, steps);
        var stepMs = watch.Elapsed.TotalMilliseconds / steps;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultPrefix}{loadKib} {StatusKib("VmHWM")} {stepMs:F1}"));
        return 0;
    }

    private static void Generate(StableDiffusionPipeline pipeline, int steps) =>
        pipeline.Run(new GenerationRequest("a photo of a cat", "blurry", 64, 64, steps, 7f, 42, "Euler", 1, 0f, null), null, CancellationToken.None);

    private static (double LoadKib, double PeakKib, double StepMs) Child(string folder, string setting, string steps)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(PeakMemoryBenchmark).Assembly.Location);
        }

        foreach (var argument in new[] { ChildCommand, folder, setting, steps })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"'{setting}' exited {process.ExitCode} without a result: {output}");
        var parts = line[ResultPrefix.Length..].Trim().Split(' ').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (parts[0], parts[1], parts[2]);
    }

    private static long StatusKib(string field) =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static double Mib(long bytes) => bytes / 1048576.0;
}
