namespace SdServerless.Functions.Validation;

/// <summary>The samplers the worker implements, by their AUTOMATIC1111 names, matched without regard to case.</summary>
public sealed class SamplerCatalog(IReadOnlyList<string> names)
{
    public IReadOnlyList<string> Names { get; } = names;

    /// <summary>The canonical spelling of <paramref name="name"/>, or null when it is not supported.</summary>
    public string? Canonical(string name) =>
        Names.FirstOrDefault(known => string.Equals(known, name.Trim(), StringComparison.OrdinalIgnoreCase));
}
