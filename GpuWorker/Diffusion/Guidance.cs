namespace SdServerless.GpuWorker.Diffusion;

/// <summary>Classifier-free guidance (Ho and Salimans 2022) on a UNet batch laid out as [uncond images, cond images].</summary>
public static class Guidance
{
    /// <summary>Copies the first half of <paramref name="batch"/> onto its second half: the same latents for both passes.</summary>
    public static void Duplicate(Span<float> batch)
    {
        var half = batch.Length / 2;
        batch[..half].CopyTo(batch[half..]);
    }

    /// <summary>eps = eps_uncond + scale * (eps_cond - eps_uncond).</summary>
    public static void Apply(ReadOnlySpan<float> noisePrediction, float scale, Span<float> guided)
    {
        var half = noisePrediction.Length / 2;
        var uncond = noisePrediction[..half];
        var cond = noisePrediction[half..];
        for (var i = 0; i < guided.Length; i++)
        {
            guided[i] = uncond[i] + scale * (cond[i] - uncond[i]);
        }
    }
}
