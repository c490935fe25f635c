namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>Applies a chunk's weights to its hidden states <c>[77, hidden]</c>, as A1111's <c>sd_emphasis</c> modes do.</summary>
public static class PromptEmphasis
{
    public static void Apply(EmphasisMode mode, Span<float> states, ReadOnlySpan<float> multipliers, int hiddenSize)
    {
        if (mode is EmphasisMode.Ignore or EmphasisMode.None)
        {
            return;
        }

        var originalMean = mode == EmphasisMode.Original ? Mean(states) : 0f;
        for (var token = 0; token < multipliers.Length; token++)
        {
            var weight = multipliers[token];
            foreach (ref var value in states.Slice(token * hiddenSize, hiddenSize))
            {
                value *= weight;
            }
        }

        if (mode != EmphasisMode.Original)
        {
            return;
        }

        // A1111 restores the whole chunk's mean: z * (original_mean / new_mean), the ratio in float32.
        var ratio = originalMean / Mean(states);
        foreach (ref var value in states)
        {
            value *= ratio;
        }
    }

    private static float Mean(ReadOnlySpan<float> values)
    {
        var sum = 0d;
        foreach (var value in values)
        {
            sum += value;
        }

        return (float)(sum / values.Length);
    }
}
