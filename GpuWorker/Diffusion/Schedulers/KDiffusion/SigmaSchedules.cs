using SdServerless.GpuWorker.Diffusion.Faults;
namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>
/// AUTOMATIC1111's schedule types (<c>modules/sd_schedulers.py</c>, 1.10): n steps of sigmas from the model's
/// <see cref="KDiffusionSchedule"/>, ending in 0 (KL Optimal ends at sigma_min, as A1111's does). Each sigma is
/// rounded to float32, as A1111 returns them as a float tensor.
/// </summary>
public static class SigmaSchedules
{
    /// <summary>The labels built here; A1111's others (Beta, Align Your Steps) are refused by name.</summary>
    public static IReadOnlyList<string> Labels { get; } =
        ["Uniform", "Karras", "Exponential", "Polyexponential", "SGM Uniform", "KL Optimal", "Simple", "Normal", "DDIM"];

    public static double[] Compute(string label, KDiffusionSchedule model, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        double sigmaMin = model.SigmaMin, sigmaMax = model.SigmaMax;
        return label switch
        {
            "Uniform" => AppendZero(Linspace(model.Sigmas.Length - 1, 0, n).Select(model.TToSigma)),
            "Karras" => AppendZero(Linspace(0, 1, n).Select(ramp =>
                Math.Pow(Math.Pow(sigmaMax, 1 / 7.0) + ramp * (Math.Pow(sigmaMin, 1 / 7.0) - Math.Pow(sigmaMax, 1 / 7.0)), 7))),
            "Exponential" => AppendZero(Linspace(Math.Log(sigmaMax), Math.Log(sigmaMin), n).Select(Math.Exp)),
            "Polyexponential" => AppendZero(Linspace(1, 0, n).Select(ramp => Math.Exp(ramp * (Math.Log(sigmaMax) - Math.Log(sigmaMin)) + Math.Log(sigmaMin)))),
            "SGM Uniform" => AppendZero(Linspace(model.SigmaToT(sigmaMax), model.SigmaToT(sigmaMin), n + 1).Take(n).Select(model.TToSigma)),
            "Normal" => AppendZero(Linspace(model.SigmaToT(sigmaMax), model.SigmaToT(sigmaMin), n).Select(model.TToSigma)),
            "KL Optimal" => KlOptimal(sigmaMin, sigmaMax, n),
            "Simple" => Simple(model, n),
            "DDIM" => Ddim(model, n),
            _ => throw new GenerationInputException("unsupported_scheduler", $"scheduler '{label}' is not available here; use one of: {string.Join(", ", Labels)}"),
        };
    }

    /// <summary>Sato et al. 2024's schedule: tan of a linear ramp from atan(sigma_max) to atan(sigma_min), n + 1 values.</summary>
    private static double[] KlOptimal(double sigmaMin, double sigmaMax, int n)
    {
        var alphaMin = MathF.Atan((float)sigmaMin);
        var alphaMax = MathF.Atan((float)sigmaMax);
        var sigmas = new double[n + 1];
        for (var i = 0; i <= n; i++)
        {
            var f = (float)i / n;
            sigmas[i] = MathF.Tan(f * alphaMin + (1f - f) * alphaMax);
        }

        return sigmas;
    }

    /// <summary>Every (T / n)-th training sigma from the top.</summary>
    private static double[] Simple(KDiffusionSchedule model, int n)
    {
        var stride = (double)model.Sigmas.Length / n;
        return AppendZero(Enumerable.Range(0, n).Select(x => (double)model.Sigmas[model.Sigmas.Length - 1 - (int)(x * stride)]));
    }

    /// <summary>Training sigmas 1, 1 + T // n, ... from the top (may be more than n of them, as A1111's).</summary>
    private static double[] Ddim(KDiffusionSchedule model, int n)
    {
        var stride = Math.Max(model.Sigmas.Length / n, 1);
        var sigmas = new List<double>();
        for (var x = 1; x < model.Sigmas.Length; x += stride)
        {
            sigmas.Add(model.Sigmas[x]);
        }

        sigmas.Reverse();
        return AppendZero(sigmas);
    }

    /// <summary><c>torch.linspace</c> in float32: from the start for the first half, from the end for the second.</summary>
    internal static IEnumerable<double> Linspace(double start, double end, int n)
    {
        if (n == 1)
        {
            yield return (float)start;
            yield break;
        }

        var s = (float)start;
        var e = (float)end;
        var step = (e - s) / (n - 1);
        for (var i = 0; i < n; i++)
        {
            yield return i < n / 2 ? s + step * i : e - step * (n - 1 - i);
        }
    }

    private static double[] AppendZero(IEnumerable<double> sigmas) => [.. sigmas.Select(sigma => (double)(float)sigma), 0];
}
