using System.Text;
using System.Text.RegularExpressions;

namespace SdServerless.LocalAws.Templates;

/// <summary>
/// Evaluates the intrinsic functions that resource properties use (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select,
/// Fn::Split, Fn::If with Conditions, Fn::Equals, Fn::Not/And/Or, Fn::ToJsonString, Fn::Length, and Fn::ImportValue where
/// exports are given) against resolved names.
/// </summary>
public sealed partial class IntrinsicEvaluator(
    Func<string, object?> resolveRef,
    Func<string, string, object?> resolveAttribute,
    Func<string, bool>? resolveCondition = null,
    Func<string, object?>? resolveImport = null)
{
    /// <summary>Marks a value removed by <c>AWS::NoValue</c>.</summary>
    public static readonly object NoValue = new();

    public object? Evaluate(object? value) => value switch
    {
        Dictionary<string, object?> { Count: 1 } function when IsFunction(function.Keys.First()) => EvaluateFunction(function.Keys.First(), function.Values.First()),
        Dictionary<string, object?> mapping => mapping
            .Select(pair => (pair.Key, Value: Evaluate(pair.Value)))
            .Where(pair => !ReferenceEquals(pair.Value, NoValue))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
        List<object?> list => list.Select(Evaluate).Where(item => !ReferenceEquals(item, NoValue)).ToList(),
        _ => value,
    };

    public string EvaluateString(object? value, string where) => Evaluate(value) switch
    {
        string text => text,
        var other => throw new TemplateException($"{where}: expected a string, found {Describe(other)}."),
    };

    private static bool IsFunction(string key) => key == "Ref" || key == "Condition" || key.StartsWith("Fn::", StringComparison.Ordinal);

    private object? EvaluateFunction(string name, object? argument) => name switch
    {
        "Ref" => resolveRef(argument as string ?? throw new TemplateException($"Ref takes a name, found {Describe(argument)}.")),
        "Fn::GetAtt" => argument is List<object?> { Count: 2 } pair && pair[0] is string resource
            ? resolveAttribute(resource, EvaluateString(pair[1], "Fn::GetAtt attribute"))
            : throw new TemplateException($"Fn::GetAtt takes [Resource, Attribute], found {Describe(argument)}."),
        "Fn::Sub" => Substitute(argument),
        "Fn::Join" => argument is List<object?> { Count: 2 } join
            ? string.Join(EvaluateString(join[0], "Fn::Join delimiter"), AsList(Evaluate(join[1]), "Fn::Join").Select(item => Stringify(item, "Fn::Join")))
            : throw new TemplateException("Fn::Join takes [Delimiter, [Values]]."),
        "Fn::Select" => argument is List<object?> { Count: 2 } select
            ? AsList(Evaluate(select[1]), "Fn::Select").ElementAtOrDefault(int.Parse(EvaluateString(select[0], "Fn::Select index")))
              ?? throw new TemplateException("Fn::Select: index out of range.")
            : throw new TemplateException("Fn::Select takes [Index, [Values]]."),
        "Fn::Split" => argument is List<object?> { Count: 2 } split
            ? EvaluateString(split[1], "Fn::Split source").Split(EvaluateString(split[0], "Fn::Split delimiter")).Cast<object?>().ToList()
            : throw new TemplateException("Fn::Split takes [Delimiter, Source]."),
        "Fn::If" => argument is List<object?> { Count: 3 } branches && branches[0] is string condition
            ? Evaluate(Condition(condition) ? branches[1] : branches[2])
            : throw new TemplateException("Fn::If takes [Condition, ValueIfTrue, ValueIfFalse]."),
        "Fn::Equals" => argument is List<object?> { Count: 2 } equals
            ? Stringify(Evaluate(equals[0]), "Fn::Equals") == Stringify(Evaluate(equals[1]), "Fn::Equals")
            : throw new TemplateException("Fn::Equals takes [Value1, Value2]."),
        "Fn::Not" => argument is List<object?> { Count: 1 } not ? !IsTrue(not[0]) : throw new TemplateException("Fn::Not takes [Condition]."),
        "Fn::And" => AsList(argument, "Fn::And").All(IsTrue),
        "Fn::Or" => AsList(argument, "Fn::Or").Any(IsTrue),
        "Condition" => Condition(argument as string ?? throw new TemplateException("Condition takes a name.")),
        "Fn::ToJsonString" => System.Text.Json.JsonSerializer.Serialize(ToJsonValue(Evaluate(argument))),
        "Fn::ImportValue" when resolveImport is not null => resolveImport(EvaluateString(argument, "Fn::ImportValue")),
        "Fn::Length" => AsList(Evaluate(argument), "Fn::Length").Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new TemplateException($"{name} is not supported by local provisioning."),
    };

    private bool Condition(string name) =>
        resolveCondition?.Invoke(name) ?? throw new TemplateException($"Condition '{name}' is used but the template has no Conditions.");

    private bool IsTrue(object? value) => Evaluate(value) switch
    {
        bool flag => flag,
        "true" or "True" => true,
        "false" or "False" => false,
        var other => throw new TemplateException($"expected a condition, found {Describe(other)}."),
    };

    private string Substitute(object? argument)
    {
        string text;
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        switch (argument)
        {
            case string plain:
                text = plain;
                break;
            case List<object?> { Count: 2 } pair when pair[0] is string withVariables && pair[1] is Dictionary<string, object?> map:
                text = withVariables;
                foreach (var (key, value) in map)
                {
                    variables[key] = Evaluate(value);
                }
                break;
            default:
                throw new TemplateException($"Fn::Sub takes a string or [String, {{Variables}}], found {Describe(argument)}.");
        }

        return SubPattern().Replace(text, match =>
        {
            var expression = match.Groups[1].Value;
            if (expression.StartsWith('!'))
            {
                return "${" + expression[1..] + "}";
            }
            if (variables.TryGetValue(expression, out var variable))
            {
                return Stringify(variable, "Fn::Sub");
            }
            var dot = expression.IndexOf('.');
            return dot > 0 && !expression.StartsWith("AWS::", StringComparison.Ordinal)
                ? Stringify(resolveAttribute(expression[..dot], expression[(dot + 1)..]), "Fn::Sub")
                : Stringify(resolveRef(expression), "Fn::Sub");
        });
    }

    /// <summary>The names a <c>Fn::Sub</c> string refers to (<c>${Name}</c>, <c>${Name.Attribute}</c>), without its own variables.</summary>
    public static IEnumerable<string> SubReferences(string text) =>
        SubPattern().Matches(text).Select(m => m.Groups[1].Value).Where(e => !e.StartsWith('!'));

    private static List<object?> AsList(object? value, string where) =>
        value as List<object?> ?? throw new TemplateException($"{where}: expected a list, found {Describe(value)}.");

    private static string Stringify(object? value, string where) => value switch
    {
        string text => text,
        bool flag => flag ? "true" : "false",
        _ => throw new TemplateException($"{where}: expected a string, found {Describe(value)}."),
    };

    private static object? ToJsonValue(object? value) => value switch
    {
        Dictionary<string, object?> map => map.ToDictionary(p => p.Key, p => ToJsonValue(p.Value)),
        List<object?> list => list.Select(ToJsonValue).ToList(),
        _ => value,
    };

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string text => $"'{text}'",
        List<object?> => "a list",
        Dictionary<string, object?> map => $"a mapping ({string.Join(", ", map.Keys)})",
        _ => value.ToString() ?? "a value",
    };

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubPattern();
}
