namespace SdServerless.Architecture.Tests.Planted.Right;

/// <summary>The other half: this side names the first in a field.</summary>
public sealed class Callee
{
    private readonly Left.Caller? _caller = null;

    public int Count => _caller is null ? 0 : 1;
}
