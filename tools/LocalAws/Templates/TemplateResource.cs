namespace SdServerless.LocalAws.Templates;

/// <summary>One resource of an expanded template, with the logical ids it depends on.</summary>
public sealed record TemplateResource(
    string LogicalId,
    string Type,
    Dictionary<string, object?> Properties,
    IReadOnlySet<string> Dependencies);
