using SdServerless.Aws;
using SdServerless.LocalAws.Templates;

namespace SdServerless.LocalAws.Provisioning;

/// <summary>The template's <c>Globals.Function.Environment.Variables</c>, resolved to local resource names: what local services are configured with, so they see what Lambda would.</summary>
public static class FunctionEnvironment
{
    public static IReadOnlyDictionary<string, string> Resolve(CloudFormationTemplate template, AwsConnection connection)
    {
        var variables = (template.Globals.GetValueOrDefault("Function") as Dictionary<string, object?>)?.GetValueOrDefault("Environment") is Dictionary<string, object?> environment
            ? environment.GetValueOrDefault("Variables") as Dictionary<string, object?> ?? []
            : [];
        var names = LocalProvisioner.Names(template, connection);
        var resolved = LocalProvisioner.Evaluate(template, names, variables) as Dictionary<string, object?> ?? [];
        return resolved.ToDictionary(pair => pair.Key, pair => pair.Value as string
            ?? throw new TemplateException($"Function environment variable '{pair.Key}' does not resolve to a string."));
    }
}
