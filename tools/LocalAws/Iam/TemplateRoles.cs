using SdServerless.LocalAws.Templates;

namespace SdServerless.LocalAws.Iam;

/// <summary>
/// The IAM roles a template declares, their policy documents resolved to ARNs as AWS would create them: a role's own
/// <c>Policies</c>, every <c>AWS::IAM::Policy</c> and <c>AWS::IAM::RolePolicy</c> attached to it, and for a SAM function
/// without a <c>Role</c> the inline statements of its <c>Policies</c>. <c>Ref</c>, <c>Fn::GetAtt</c> and <c>Fn::Sub</c>
/// resolve through <see cref="TemplateArns"/>; <c>Fn::ImportValue</c> through the exports given (another stack's outputs).
/// </summary>
public sealed class TemplateRoles
{
    private readonly CloudFormationTemplate _template;
    private readonly IntrinsicEvaluator _evaluator;

    public TemplateRoles(CloudFormationTemplate template, IReadOnlyDictionary<string, string>? imports = null)
    {
        _template = template;
        var arns = new TemplateArns(template, () => _evaluator!);
        _evaluator = template.Evaluator(arns.Ref, arns.Attribute,
            imports is null ? null : name => imports.TryGetValue(name, out var value) ? value : throw new TemplateException($"No stack exports '{name}'."));
    }

    /// <summary>The values of the template's outputs that have an export name, by that name (what another stack imports).</summary>
    public IReadOnlyDictionary<string, string> Exports() =>
        _template.Outputs
            .Select(o => o.Value as Dictionary<string, object?>)
            .Where(o => o?.GetValueOrDefault("Export") is Dictionary<string, object?> export && export.ContainsKey("Name"))
            .ToDictionary(
                o => _evaluator.EvaluateString(((Dictionary<string, object?>)o!["Export"]!)["Name"], "Export Name"),
                o => _evaluator.EvaluateString(o!["Value"], "Output Value"));

    public RolePermissions For(string logicalId)
    {
        var resource = _template.Resources.FirstOrDefault(r => r.LogicalId == logicalId)
            ?? throw new TemplateException($"The template has no resource '{logicalId}'.");
        var statements = new List<IamStatement>();
        var managed = new List<string>();
        switch (resource.Type)
        {
            case "AWS::IAM::Role":
                AddPolicies(resource.Properties.GetValueOrDefault("Policies"), logicalId, statements);
                foreach (var attached in _template.Resources.Where(r => AttachesTo(r, logicalId)))
                {
                    AddDocument(attached.Properties.GetValueOrDefault("PolicyDocument"), attached.LogicalId, statements);
                }
                managed.AddRange(List(resource.Properties.GetValueOrDefault("ManagedPolicyArns")).Select(a => _evaluator.EvaluateString(a, "ManagedPolicyArns")));
                break;
            case "AWS::Serverless::Function" when !resource.Properties.ContainsKey("Role"):
                foreach (var (entry, index) in List(resource.Properties.GetValueOrDefault("Policies")).Select((e, i) => (e, i)))
                {
                    switch (entry)
                    {
                        case Dictionary<string, object?> inline when inline.ContainsKey("Statement"):
                            AddDocument(inline, $"{logicalId}.Policies[{index}]", statements);
                            break;
                        case string arnOrName:
                            managed.Add(arnOrName);
                            break;
                        default:
                            throw new TemplateException($"{logicalId}.Policies[{index}]: only inline statements and managed policy names are read.");
                    }
                }
                managed.Add("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
                break;
            case "AWS::Serverless::Function":
                throw new TemplateException($"{logicalId} runs under the role its Role names; ask for that role.");
            default:
                throw new TemplateException($"{logicalId} is a {resource.Type}, not a role or a function.");
        }
        return new RolePermissions(logicalId, statements, managed);
    }

    private static bool AttachesTo(TemplateResource resource, string role) => resource.Type switch
    {
        "AWS::IAM::Policy" => List(resource.Properties.GetValueOrDefault("Roles")).Any(r => IsRefTo(r, role)),
        "AWS::IAM::RolePolicy" => IsRefTo(resource.Properties.GetValueOrDefault("RoleName"), role),
        _ => false,
    };

    private static bool IsRefTo(object? value, string logicalId) =>
        value is Dictionary<string, object?> { Count: 1 } reference && reference.GetValueOrDefault("Ref") as string == logicalId;

    private void AddPolicies(object? policies, string role, List<IamStatement> statements)
    {
        foreach (var policy in List(policies).OfType<Dictionary<string, object?>>())
        {
            var name = policy.GetValueOrDefault("PolicyName") is { } n ? _evaluator.EvaluateString(n, "PolicyName") : "policy";
            AddDocument(policy.GetValueOrDefault("PolicyDocument"), $"{role}/{name}", statements);
        }
    }

    private void AddDocument(object? document, string source, List<IamStatement> statements)
    {
        if (document is not Dictionary<string, object?> body)
        {
            throw new TemplateException($"{source}: the policy document is not a mapping.");
        }
        foreach (var (raw, index) in List(body.GetValueOrDefault("Statement")).Select((s, i) => (s, i)))
        {
            if (raw is not Dictionary<string, object?> statement)
            {
                throw new TemplateException($"{source}: statement {index} is not a mapping.");
            }
            foreach (var unsupported in new[] { "NotAction", "NotResource", "Principal", "NotPrincipal" }.Where(statement.ContainsKey))
            {
                throw new TemplateException($"{source}: statement {index} uses {unsupported}, which identity policies here do not use and this evaluator does not read.");
            }
            var sid = statement.GetValueOrDefault("Sid") as string ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            statements.Add(new IamStatement(
                $"{source}#{sid}",
                (statement.GetValueOrDefault("Effect") as string ?? throw new TemplateException($"{source}#{sid}: no Effect.")) == "Allow",
                Strings(statement.GetValueOrDefault("Action"), $"{source}#{sid} Action"),
                Strings(statement.GetValueOrDefault("Resource"), $"{source}#{sid} Resource"),
                Conditions(statement.GetValueOrDefault("Condition"), $"{source}#{sid}")));
        }
    }

    private List<IamCondition> Conditions(object? value, string where)
    {
        var conditions = new List<IamCondition>();
        if (value is null)
        {
            return conditions;
        }
        if (value is not Dictionary<string, object?> operators)
        {
            throw new TemplateException($"{where}: Condition is not a mapping.");
        }
        foreach (var (op, keys) in operators)
        {
            if (!IamCondition.IsSupported(op))
            {
                throw new TemplateException($"{where}: condition operator {op} is not read by this evaluator.");
            }
            foreach (var (key, values) in keys as Dictionary<string, object?> ?? throw new TemplateException($"{where}: {op} is not a mapping."))
            {
                conditions.Add(new IamCondition(op, key, Strings(values, $"{where} {op} {key}")));
            }
        }
        return conditions;
    }

    private List<string> Strings(object? value, string where) => _evaluator.Evaluate(value) switch
    {
        string single => [single],
        List<object?> many => many.Select(item => item as string ?? throw new TemplateException($"{where}: expected strings.")).ToList(),
        _ => throw new TemplateException($"{where}: expected a string or a list of strings."),
    };

    private static List<object?> List(object? value) => value switch
    {
        null => [],
        List<object?> list => list,
        var single => [single],
    };
}
