namespace SdServerless.Architecture.Tests.Planted.Below;

/// <summary>Used by both halves of the planted cycle, using neither: no cycle through it.</summary>
public static class Leaf
{
    public static int One => 1;
}
