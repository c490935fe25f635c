using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SdServerless.LocalAws.Templates;

/// <summary>
/// Reads a CloudFormation/SAM template written in YAML (or JSON, which is YAML) into plain values:
/// mappings become <see cref="Dictionary{TKey,TValue}"/>, sequences <see cref="List{T}"/>, scalars strings.
/// Short-form intrinsics (<c>!Ref</c>, <c>!GetAtt</c>, <c>!Sub</c>, ...) become their long form (<c>{"Ref": ...}</c>, <c>{"Fn::GetAtt": [...]}</c>).
/// </summary>
public static class TemplateYaml
{
    private static readonly Dictionary<string, string> ShortForms = new(StringComparer.Ordinal)
    {
        ["!Ref"] = "Ref",
        ["!Condition"] = "Condition",
        ["!GetAtt"] = "Fn::GetAtt",
        ["!Sub"] = "Fn::Sub",
        ["!Join"] = "Fn::Join",
        ["!Select"] = "Fn::Select",
        ["!Split"] = "Fn::Split",
        ["!If"] = "Fn::If",
        ["!Equals"] = "Fn::Equals",
        ["!Not"] = "Fn::Not",
        ["!And"] = "Fn::And",
        ["!Or"] = "Fn::Or",
        ["!FindInMap"] = "Fn::FindInMap",
        ["!GetAZs"] = "Fn::GetAZs",
        ["!Base64"] = "Fn::Base64",
        ["!ImportValue"] = "Fn::ImportValue",
        ["!Cidr"] = "Fn::Cidr",
        ["!Length"] = "Fn::Length",
        ["!ToJsonString"] = "Fn::ToJsonString",
        ["!Transform"] = "Fn::Transform",
    };

    public static Dictionary<string, object?> Parse(string text, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new TemplateException($"{sourceName}: not valid YAML at line {ex.Start.Line}: {ex.Message}", ex);
        }
        if (stream.Documents.Count == 0 || Convert(stream.Documents[0].RootNode, sourceName) is not Dictionary<string, object?> root)
        {
            throw new TemplateException($"{sourceName}: the template must be a mapping at the top level.");
        }
        return root;
    }

    private static object? Convert(YamlNode node, string sourceName)
    {
        var value = node switch
        {
            YamlMappingNode mapping => ConvertMapping(mapping, sourceName),
            YamlSequenceNode sequence => sequence.Children.Select(child => Convert(child, sourceName)).ToList(),
            YamlScalarNode scalar => ConvertScalar(scalar),
            _ => throw new TemplateException($"{sourceName}: unsupported YAML node at line {node.Start.Line}."),
        };

        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is null || tag == "tag:yaml.org,2002:str" || tag == "!")
        {
            return value;
        }
        if (!ShortForms.TryGetValue(tag, out var longForm))
        {
            throw new TemplateException($"{sourceName}: unknown tag '{tag}' at line {node.Start.Line}.");
        }
        if (longForm == "Fn::GetAtt" && value is string dotted)
        {
            var dot = dotted.IndexOf('.');
            if (dot <= 0)
            {
                throw new TemplateException($"{sourceName}: !GetAtt '{dotted}' at line {node.Start.Line} must be 'Resource.Attribute'.");
            }
            value = new List<object?> { dotted[..dot], dotted[(dot + 1)..] };
        }
        return new Dictionary<string, object?> { [longForm] = value };
    }

    private static Dictionary<string, object?> ConvertMapping(YamlMappingNode mapping, string sourceName)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, child) in mapping.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? "";
            if (!result.TryAdd(name, Convert(child, sourceName)))
            {
                throw new TemplateException($"{sourceName}: duplicate key '{name}' at line {key.Start.Line}.");
            }
        }
        return result;
    }

    private static object? ConvertScalar(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" ? null : scalar.Value;
}
