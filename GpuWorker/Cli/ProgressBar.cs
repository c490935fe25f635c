using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.GpuWorker.Cli;

/// <summary>A one-line text progress bar, redrawn in place on stderr after each denoising step.</summary>
public sealed class ProgressBar(TextWriter output, int width = 30) : IProgress<DenoiseProgress>
{
    public void Report(DenoiseProgress value)
    {
        var filled = value.Steps == 0 ? width : value.Step * width / value.Steps;
        output.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] step {value.Step}/{value.Steps}");
        if (value.Step == value.Steps)
        {
            output.WriteLine();
        }
    }
}
