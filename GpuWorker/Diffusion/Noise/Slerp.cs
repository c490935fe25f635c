namespace SdServerless.GpuWorker.Diffusion.Noise;

/// <summary>
/// AUTOMATIC1111's variation-seed blend of one image's noise <c>[C, H, W]</c> with its subseed's noise: spherical
/// interpolation of each column (the H values of one channel and x), with weight <c>strength</c> on the subseed's noise.
/// When the columns are nearly parallel (mean cosine above 0.9995) A1111 blends linearly with the weights the other way
/// round (<c>noise * strength + subnoise * (1 - strength)</c>); that is kept, as it is what A1111 draws.
/// </summary>
public static class Slerp
{
    public static void Blend(float strength, Span<float> noise, ReadOnlySpan<float> subnoise, int channels, int height, int width)
    {
        var columns = channels * width;
        var dots = new double[columns];
        for (var c = 0; c < channels; c++)
        {
            for (var x = 0; x < width; x++)
            {
                double normNoise = 0, normSub = 0, dot = 0;
                for (var y = 0; y < height; y++)
                {
                    var i = (c * height + y) * width + x;
                    normNoise += (double)noise[i] * noise[i];
                    normSub += (double)subnoise[i] * subnoise[i];
                    dot += (double)noise[i] * subnoise[i];
                }

                dots[c * width + x] = dot / Math.Sqrt(normNoise) / Math.Sqrt(normSub);
            }
        }

        if (dots.Average() > 0.9995)
        {
            for (var i = 0; i < noise.Length; i++)
            {
                noise[i] = noise[i] * strength + subnoise[i] * (1 - strength);
            }

            return;
        }

        for (var c = 0; c < channels; c++)
        {
            for (var x = 0; x < width; x++)
            {
                var omega = Math.Acos(dots[c * width + x]);
                var so = Math.Sin(omega);
                var keep = (float)(Math.Sin((1.0 - strength) * omega) / so);
                var take = (float)(Math.Sin(strength * omega) / so);
                for (var y = 0; y < height; y++)
                {
                    var i = (c * height + y) * width + x;
                    noise[i] = keep * noise[i] + take * subnoise[i];
                }
            }
        }
    }
}
