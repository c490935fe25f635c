namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>Orders ComfyUI node ids as numbers where they are numbers (<c>9</c> before <c>10</c>), otherwise ordinally.</summary>
internal sealed class NodeIdComparer : IComparer<string>
{
    public static readonly NodeIdComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        var xNumber = long.TryParse(x, out var a);
        var yNumber = long.TryParse(y, out var b);
        return (xNumber, yNumber) switch
        {
            (true, true) when a != b => a.CompareTo(b),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(x, y),
        };
    }
}
