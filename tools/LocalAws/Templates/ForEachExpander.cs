using System.Text;

namespace SdServerless.LocalAws.Templates;

/// <summary>
/// Expands <c>Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]</c> (the AWS::LanguageExtensions transform):
/// every <c>${Identifier}</c> and <c>&amp;{Identifier}</c> (non-alphanumerics removed) in keys and strings, and every
/// <c>Ref: Identifier</c>, is replaced by each item of the collection.
/// </summary>
public static class ForEachExpander
{
    private const string Prefix = "Fn::ForEach::";

    public static Dictionary<string, object?> Expand(Dictionary<string, object?> mapping, Func<object?, IReadOnlyList<string>> collection)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping)
        {
            if (!key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                result[key] = ExpandNested(value, collection);
                continue;
            }
            if (value is not List<object?> { Count: 3 } loop || loop[0] is not string identifier || loop[2] is not Dictionary<string, object?> fragment)
            {
                throw new TemplateException($"{key}: Fn::ForEach takes [Identifier, Collection, {{OutputKey: OutputValue}}].");
            }
            foreach (var item in collection(loop[1]))
            {
                var substituted = (Dictionary<string, object?>)Substitute(fragment, identifier, item)!;
                foreach (var (outputKey, outputValue) in Expand(substituted, collection))
                {
                    if (!result.TryAdd(outputKey, outputValue))
                    {
                        throw new TemplateException($"{key}: the loop produces '{outputKey}' more than once.");
                    }
                }
            }
        }
        return result;
    }

    private static object? ExpandNested(object? value, Func<object?, IReadOnlyList<string>> collection) => value switch
    {
        Dictionary<string, object?> mapping => Expand(mapping, collection),
        List<object?> list => list.Select(item => ExpandNested(item, collection)).ToList(),
        _ => value,
    };

    private static object? Substitute(object? value, string identifier, string item) => value switch
    {
        string text => Replace(text, identifier, item),
        List<object?> list => list.Select(element => Substitute(element, identifier, item)).ToList(),
        Dictionary<string, object?> { Count: 1 } reference when reference.TryGetValue("Ref", out var target) && target as string == identifier => item,
        Dictionary<string, object?> mapping => mapping.ToDictionary(
            pair => Replace(pair.Key, identifier, item), pair => Substitute(pair.Value, identifier, item), StringComparer.Ordinal),
        _ => value,
    };

    private static string Replace(string text, string identifier, string item) =>
        text.Replace("${" + identifier + "}", item, StringComparison.Ordinal)
            .Replace("&{" + identifier + "}", AlphanumericOnly(item), StringComparison.Ordinal);

    /// <summary>What <c>&amp;{x}</c> makes of an item in a logical id: its ASCII letters and digits (<c>sd-turbo</c> → <c>sdturbo</c>).</summary>
    public static string AlphanumericOnly(string item)
    {
        var builder = new StringBuilder(item.Length);
        foreach (var c in item.Where(char.IsAsciiLetterOrDigit))
        {
            builder.Append(c);
        }
        return builder.ToString();
    }
}
