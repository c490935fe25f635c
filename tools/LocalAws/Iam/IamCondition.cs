namespace SdServerless.LocalAws.Iam;

/// <summary>
/// One condition of a statement: <c>StringLike: { s3:prefix: [models/x/*] }</c>. The string and ARN operators are
/// supported, with <c>IfExists</c>; a key the request does not carry fails the condition, except with <c>IfExists</c>.
/// </summary>
public sealed record IamCondition(string Operator, string Key, IReadOnlyList<string> Values)
{
    private static readonly HashSet<string> Known =
        ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringLike", "StringNotLike", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"];

    public static bool IsSupported(string op) => Known.Contains(op.EndsWith("IfExists", StringComparison.Ordinal) ? op[..^"IfExists".Length] : op);

    public bool IsMetBy(IReadOnlyDictionary<string, string> context)
    {
        var ifExists = Operator.EndsWith("IfExists", StringComparison.Ordinal);
        var op = ifExists ? Operator[..^"IfExists".Length] : Operator;
        if (!context.TryGetValue(Key, out var actual))
        {
            return ifExists;
        }
        return op switch
        {
            "StringEquals" or "ArnEquals" => Values.Any(v => v == actual),
            "StringEqualsIgnoreCase" => Values.Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
            "StringNotEquals" or "ArnNotEquals" => Values.All(v => v != actual),
            "StringLike" or "ArnLike" => Values.Any(v => IamPattern.Matches(v, actual)),
            "StringNotLike" or "ArnNotLike" => Values.All(v => !IamPattern.Matches(v, actual)),
            _ => throw new InvalidOperationException($"Condition operator {Operator} is not supported."),
        };
    }

    public override string ToString() => $"{Operator} {Key} [{string.Join(", ", Values)}]";
}
