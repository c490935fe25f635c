using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Runtimes;

/// <summary>Widths and heights a runtime generates: multiples of <see cref="Multiple"/> from <see cref="Min"/> to <see cref="Max"/>.</summary>
public sealed record SizeRule(
    [property: JsonPropertyName("min")] int Min,
    [property: JsonPropertyName("max")] int Max,
    [property: JsonPropertyName("multiple")] int Multiple)
{
    public bool Allows(int value) => value >= Min && value <= Max && value % Multiple == 0;

    public string Describe() => $"a multiple of {Multiple} from {Min} to {Max}";
}
