using SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;
namespace SdServerless.GpuWorker.Diffusion.Schedulers.UniPc;

/// <summary>
/// UniPC's <c>NoiseScheduleVP('discrete', alphas_cumprod=...)</c>, as AUTOMATIC1111 builds it from the model's float32
/// alpha-bar: training step n sits at continuous time t_n = (n + 1) / N, and log alpha_t (half of log alpha-bar) is
/// interpolated linearly between them (extrapolated past the ends). sigma_t = sqrt(1 - alpha_t^2) and
/// lambda_t = log alpha_t - log sigma_t (the half log-SNR). In float32, as A1111's tensors are.
/// </summary>
public sealed class DiscreteVpSchedule
{
    private readonly float[] times;
    private readonly float[] logAlphas;

    public DiscreteVpSchedule(float[] alphasCumprod)
    {
        TotalSteps = alphasCumprod.Length;
        times = [.. SigmaSchedules.Linspace(0, 1, TotalSteps + 1).Skip(1).Select(t => (float)t)];
        logAlphas = [.. alphasCumprod.Select(alpha => 0.5f * MathF.Log(alpha))];
    }

    /// <summary>N, the number of training steps.</summary>
    public int TotalSteps { get; }

    /// <summary>log alpha_t (<c>marginal_log_mean_coeff</c>): piecewise linear in t between the training steps.</summary>
    public float LogAlpha(float t)
    {
        // the segment whose keys bracket t (the first or last one outside the range), as interpolate_fn picks it
        var above = Array.BinarySearch(times, t);
        above = above >= 0 ? above + 1 : ~above;
        var end = Math.Clamp(above, 1, times.Length - 1);
        var start = end - 1;
        return logAlphas[start] + (t - times[start]) * (logAlphas[end] - logAlphas[start]) / (times[end] - times[start]);
    }

    public float Alpha(float t) => MathF.Exp(LogAlpha(t));

    /// <summary>sigma_t (<c>marginal_std</c>).</summary>
    public float Sigma(float t) => MathF.Sqrt(1f - MathF.Exp(2f * LogAlpha(t)));

    /// <summary>lambda_t (<c>marginal_lambda</c>).</summary>
    public float Lambda(float t)
    {
        var logAlpha = LogAlpha(t);
        return logAlpha - 0.5f * MathF.Log(1f - MathF.Exp(2f * logAlpha));
    }
}
