namespace SdServerless.Infrastructure.Tests.Templates;

/// <summary>Every CloudFormation template in the repository passes the offline validator.</summary>
public sealed class RepositoryTemplatesTests(InfraTools tools) : IClassFixture<InfraTools>
{
    public static IEnumerable<string> Templates()
    {
        var serverless = RepositoryRoot.Combine("serverless.template");
        if (File.Exists(serverless))
        {
            yield return serverless;
        }

        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.Combine("Infrastructure"), "*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".template", StringComparison.Ordinal))
                     .Where(IsCloudFormation)
                     .Order(StringComparer.Ordinal))
        {
            yield return file;
        }
    }

    [Fact]
    public async Task EveryTemplateIsValidAgainstTheResourceSpecification()
    {
        var templates = Templates().ToArray();
        Assert.Contains(templates, t => t.EndsWith("gpu-tier.yaml", StringComparison.Ordinal));

        var reports = await new TemplateValidator(tools).ValidateAsync(templates);

        Assert.Equal(templates.Length, reports.Count);
        Assert.All(reports, r => Assert.True(r.Errors.Count == 0, $"{r.File}:\n{string.Join('\n', r.Errors)}"));
        Assert.All(reports, r => Assert.True(r.Resources > 0, $"{r.File} has no resources"));
    }

    private static bool IsCloudFormation(string file)
    {
        var text = File.ReadAllText(file);
        return text.Contains("AWSTemplateFormatVersion", StringComparison.Ordinal) || text.StartsWith("Resources:", StringComparison.Ordinal);
    }
}
