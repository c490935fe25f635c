namespace SdServerless.LocalAws.Templates;

/// <summary>
/// A template read for local use: parameters resolved (defaults, then overrides), <c>Fn::ForEach</c> expanded,
/// every reference checked, and resources listed in dependency order.
/// </summary>
public sealed class CloudFormationTemplate
{
    private static readonly HashSet<string> PseudoParameters =
        ["AWS::StackName", "AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix", "AWS::NoValue", "AWS::StackId", "AWS::NotificationARNs"];

    private CloudFormationTemplate(
        StackIdentity stack,
        IReadOnlyDictionary<string, object?> parameters,
        IReadOnlyList<TemplateResource> resources,
        Dictionary<string, object?> globals,
        Dictionary<string, object?> outputs)
    {
        Stack = stack;
        Parameters = parameters;
        Resources = resources;
        Globals = globals;
        Outputs = outputs;
    }

    public StackIdentity Stack { get; }

    /// <summary>Parameter values: a string, or a list of strings for <c>CommaDelimitedList</c>/<c>List&lt;...&gt;</c>.</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; }

    /// <summary>Resources in an order where each comes after everything it refers to.</summary>
    public IReadOnlyList<TemplateResource> Resources { get; }

    public Dictionary<string, object?> Globals { get; }

    public Dictionary<string, object?> Outputs { get; }

    public static CloudFormationTemplate Load(string path, StackIdentity stack, IReadOnlyDictionary<string, string>? parameterOverrides = null)
    {
        if (!File.Exists(path))
        {
            throw new TemplateException($"Template '{path}' was not found.");
        }
        return Parse(File.ReadAllText(path), Path.GetFileName(path), stack, parameterOverrides);
    }

    public static CloudFormationTemplate Parse(string text, string sourceName, StackIdentity stack, IReadOnlyDictionary<string, string>? parameterOverrides = null)
    {
        var root = TemplateYaml.Parse(text, sourceName);
        var parameters = ResolveParameters(Section(root, "Parameters"), parameterOverrides ?? new Dictionary<string, string>(), sourceName);

        IReadOnlyList<string> Collection(object? value) => value switch
        {
            List<object?> list => list.Select(item => item as string ?? throw new TemplateException($"{sourceName}: Fn::ForEach collections hold strings.")).ToList(),
            Dictionary<string, object?> { Count: 1 } reference when reference.TryGetValue("Ref", out var name) && name is string parameter
                => parameters.TryGetValue(parameter, out var resolved) && resolved is List<object?> items
                    ? items.Cast<string>().ToList()
                    : throw new TemplateException($"{sourceName}: Fn::ForEach refers to '{parameter}', which is not a list parameter."),
            _ => throw new TemplateException($"{sourceName}: a Fn::ForEach collection is a list or a Ref to a list parameter."),
        };

        var resourcesSection = ForEachExpander.Expand(Section(root, "Resources"), Collection);
        var outputs = ForEachExpander.Expand(Section(root, "Outputs"), Collection);
        if (resourcesSection.Count == 0)
        {
            throw new TemplateException($"{sourceName}: the template has no Resources.");
        }

        var resources = new Dictionary<string, TemplateResource>(StringComparer.Ordinal);
        foreach (var (logicalId, body) in resourcesSection)
        {
            if (body is not Dictionary<string, object?> definition || definition.GetValueOrDefault("Type") is not string type)
            {
                throw new TemplateException($"{sourceName}: resource '{logicalId}' has no Type.");
            }
            var properties = definition.GetValueOrDefault("Properties") as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
            var dependencies = new HashSet<string>(StringComparer.Ordinal);
            CollectReferences(properties, dependencies);
            switch (definition.GetValueOrDefault("DependsOn"))
            {
                case string single:
                    dependencies.Add(single);
                    break;
                case List<object?> many:
                    dependencies.UnionWith(many.OfType<string>());
                    break;
            }
            resources[logicalId] = new TemplateResource(logicalId, type, properties, dependencies);
        }

        foreach (var resource in resources.Values)
        {
            foreach (var target in resource.Dependencies)
            {
                if (!resources.ContainsKey(target) && !parameters.ContainsKey(target) && !PseudoParameters.Contains(target))
                {
                    throw new TemplateException(
                        $"{sourceName}: resource '{resource.LogicalId}' refers to '{target}', which is not a resource, parameter or pseudo parameter of the template.");
                }
            }
        }

        var ordered = TopologicalOrder(resources, sourceName);
        return new CloudFormationTemplate(stack, parameters, ordered, Section(root, "Globals"), outputs);
    }

    /// <summary>
    /// An evaluator whose Ref and Fn::GetAtt answers come from <paramref name="resolveResource"/> for resources, and
    /// Fn::ImportValue answers from <paramref name="resolveImport"/> where given.
    /// </summary>
    public IntrinsicEvaluator Evaluator(
        Func<string, object?> resolveResource, Func<string, string, object?> resolveAttribute, Func<string, object?>? resolveImport = null) =>
        new(name => name switch
        {
            "AWS::StackName" => Stack.StackName,
            "AWS::Region" => Stack.Region,
            "AWS::AccountId" => Stack.AccountId,
            "AWS::Partition" => Stack.Partition,
            "AWS::URLSuffix" => "amazonaws.com",
            "AWS::StackId" => $"arn:aws:cloudformation:{Stack.Region}:{Stack.AccountId}:stack/{Stack.StackName}/local",
            "AWS::NoValue" => IntrinsicEvaluator.NoValue,
            _ when Parameters.TryGetValue(name, out var value) => value,
            _ => resolveResource(name),
        }, resolveAttribute, resolveImport: resolveImport);

    private static Dictionary<string, object?> Section(Dictionary<string, object?> root, string name) =>
        root.GetValueOrDefault(name) as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);

    private static Dictionary<string, object?> ResolveParameters(
        Dictionary<string, object?> declared, IReadOnlyDictionary<string, string> overrides, string sourceName)
    {
        foreach (var name in overrides.Keys.Where(name => !declared.ContainsKey(name)))
        {
            throw new TemplateException($"{sourceName}: parameter '{name}' is given but the template does not declare it.");
        }
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, body) in declared)
        {
            var definition = body as Dictionary<string, object?> ?? [];
            var type = definition.GetValueOrDefault("Type") as string ?? "String";
            var raw = overrides.TryGetValue(name, out var given) ? given : definition.GetValueOrDefault("Default") switch
            {
                string text => text,
                List<object?> list => string.Join(",", list),
                null => throw new TemplateException($"{sourceName}: parameter '{name}' has no Default and no value was given."),
                var other => other.ToString(),
            };
            values[name] = type == "CommaDelimitedList" || type.StartsWith("List<", StringComparison.Ordinal)
                ? raw!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Cast<object?>().ToList()
                : raw;
        }
        return values;
    }

    private static void CollectReferences(object? value, HashSet<string> references)
    {
        switch (value)
        {
            case Dictionary<string, object?> { Count: 1 } map when map.TryGetValue("Ref", out var target) && target is string name:
                references.Add(name);
                break;
            case Dictionary<string, object?> { Count: 1 } map when map.TryGetValue("Fn::GetAtt", out var target) && target is List<object?> { Count: 2 } pair && pair[0] is string resource:
                references.Add(resource);
                break;
            case Dictionary<string, object?> { Count: 1 } map when map.TryGetValue("Fn::Sub", out var argument):
                var (text, variables) = argument switch
                {
                    string plain => (plain, new Dictionary<string, object?>()),
                    List<object?> { Count: 2 } list when list[0] is string withVariables => (withVariables, list[1] as Dictionary<string, object?> ?? []),
                    _ => ("", new Dictionary<string, object?>()),
                };
                foreach (var expression in IntrinsicEvaluator.SubReferences(text).Where(e => !variables.ContainsKey(e)))
                {
                    var dot = expression.IndexOf('.');
                    references.Add(dot > 0 && !expression.StartsWith("AWS::", StringComparison.Ordinal) ? expression[..dot] : expression);
                }
                foreach (var variable in variables.Values)
                {
                    CollectReferences(variable, references);
                }
                break;
            case Dictionary<string, object?> map:
                foreach (var child in map.Values)
                {
                    CollectReferences(child, references);
                }
                break;
            case List<object?> list:
                foreach (var child in list)
                {
                    CollectReferences(child, references);
                }
                break;
        }
    }

    private static List<TemplateResource> TopologicalOrder(Dictionary<string, TemplateResource> resources, string sourceName)
    {
        var ordered = new List<TemplateResource>(resources.Count);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = visiting, true = done

        void Visit(TemplateResource resource, Stack<string> path)
        {
            if (state.TryGetValue(resource.LogicalId, out var done))
            {
                if (!done)
                {
                    throw new TemplateException($"{sourceName}: resources refer to each other in a cycle: {string.Join(" -> ", path.Reverse())} -> {resource.LogicalId}.");
                }
                return;
            }
            state[resource.LogicalId] = false;
            path.Push(resource.LogicalId);
            foreach (var dependency in resource.Dependencies.Where(resources.ContainsKey).Order(StringComparer.Ordinal))
            {
                Visit(resources[dependency], path);
            }
            path.Pop();
            state[resource.LogicalId] = true;
            ordered.Add(resource);
        }

        foreach (var resource in resources.Values)
        {
            Visit(resource, new Stack<string>());
        }
        return ordered;
    }
}
