namespace SdServerless.Architecture.Tests.Planted.Left;

/// <summary>Half of a cycle the detector must see: this side names the other only inside a method body.</summary>
public sealed class Caller
{
    public int Call() => new Right.Callee().Count + Below.Leaf.One;
}
