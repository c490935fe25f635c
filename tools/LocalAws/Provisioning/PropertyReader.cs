using System.Text.Json;
using SdServerless.LocalAws.Templates;

namespace SdServerless.LocalAws.Provisioning;

/// <summary>Typed reads of evaluated resource properties, with errors that name the resource and property.</summary>
internal static class PropertyReader
{
    public static string? String(Dictionary<string, object?> properties, string name, string logicalId) => properties.GetValueOrDefault(name) switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        _ => throw new TemplateException($"Resource '{logicalId}': property {name} must be a string."),
    };

    public static string Required(Dictionary<string, object?> properties, string name, string logicalId) =>
        String(properties, name, logicalId) ?? throw new TemplateException($"Resource '{logicalId}': property {name} is required.");

    public static string NameOrDefault(Dictionary<string, object?> properties, string name, string logicalId, ProvisioningContext context) =>
        String(properties, name, logicalId) ?? $"{context.Stack.StackName}-{logicalId}";

    public static string Json(object? value) => value is string text ? text : JsonSerializer.Serialize(Normalize(value));

    /// <summary>Template scalars are strings; JSON documents want numbers and booleans where they look like them.</summary>
    private static object? Normalize(object? value) => value switch
    {
        Dictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Normalize(p.Value)),
        List<object?> list => list.Select(Normalize).ToList(),
        string text when long.TryParse(text, out var number) => number,
        string text when text is "true" or "false" => text == "true",
        _ => value,
    };
}
