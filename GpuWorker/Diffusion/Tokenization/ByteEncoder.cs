namespace SdServerless.GpuWorker.Diffusion.Tokenization;

/// <summary>
/// GPT-2/CLIP's reversible map from bytes to printable characters (<c>bytes_to_unicode</c>): printable Latin-1 bytes map
/// to themselves, the others to U+0100 onwards, so byte-level BPE never sees whitespace or control characters.
/// </summary>
public static class ByteEncoder
{
    public static IReadOnlyList<char> ByteToChar { get; } = Build();

    private static char[] Build()
    {
        var map = new char[256];
        var assigned = new bool[256];
        foreach (var (from, to) in new[] { ('!', '~'), ('¡', '¬'), ('®', 'ÿ') })
        {
            for (var c = from; c <= to; c++)
            {
                map[c] = c;
                assigned[c] = true;
            }
        }

        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            if (!assigned[b])
            {
                map[b] = (char)(256 + next++);
            }
        }

        return map;
    }
}
