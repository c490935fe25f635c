namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>The names A1111 gives the emphasis modes (its <c>emphasis</c> option and its infotext's <c>Emphasis:</c> value).</summary>
public static class EmphasisModes
{
    public static IReadOnlyList<string> Names { get; } = ["Original", "No norm", "Ignore", "None"];

    public static string Name(EmphasisMode mode) => Names[(int)mode];

    /// <summary>The mode named <paramref name="name"/> (case-insensitive), or null when there is none.</summary>
    public static EmphasisMode? Parse(string? name)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return (EmphasisMode)i;
            }
        }

        return null;
    }
}
