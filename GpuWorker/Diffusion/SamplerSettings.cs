using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>Checks a request's sampler settings and turns them into the k-diffusion samplers' options.</summary>
public static class SamplerSettings
{
    public const double MaxEta = 1;
    public const double MaxSNoise = 2;
    public const double MaxSChurn = 100;
    public const double MaxSigmaBound = 1000;

    public static KSamplerOptions Check(GenerationRequest request)
    {
        Require("eta", request.Eta ?? 0, MaxEta);
        Require("s_noise", request.SNoise, MaxSNoise);
        Require("s_churn", request.SChurn, MaxSChurn);
        Require("s_tmin", request.STmin, MaxSigmaBound);
        Require("s_tmax", request.STmax, MaxSigmaBound);
        return new KSamplerOptions(request.Eta ?? 1, request.SNoise, request.SChurn, request.STmin, request.STmax == 0 ? double.PositiveInfinity : request.STmax);
    }

    private static void Require(string field, double value, double max)
    {
        if (!double.IsFinite(value) || value < 0 || value > max)
        {
            throw new GenerationInputException($"invalid_{field}", $"{field} {value} is out of range 0..{max}");
        }
    }
}
