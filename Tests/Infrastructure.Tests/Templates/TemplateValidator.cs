namespace SdServerless.Infrastructure.Tests.Templates;

/// <summary>Runs tools/infra/validate-templates.mjs and reads its JSON report.</summary>
public sealed class TemplateValidator(InfraTools tools)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<TemplateReport>> ValidateAsync(params string[] files)
    {
        var result = await tools.NodeAsync("validate-templates.mjs", ["--json", .. files]);
        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        return JsonSerializer.Deserialize<List<TemplateReport>>(result.StandardOutput, Json)
            ?? throw new InvalidOperationException("empty report");
    }

    public async Task<IReadOnlyList<string>> ErrorsOfAsync(string yaml)
    {
        using var temp = new TempDirectory();
        var report = await ValidateAsync(temp.Write("template.yaml", yaml));
        return Assert.Single(report).Errors;
    }

    /// <summary>The template after Fn::ForEach expansion, as validated.</summary>
    public async Task<JsonObject> ExpandAsync(string file)
    {
        using var temp = new TempDirectory();
        var result = await tools.NodeAsync("validate-templates.mjs", ["--json", "--expanded", temp.Path, file]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var expanded = Path.Combine(temp.Path, Path.GetFileName(file) + ".json");
        return JsonNode.Parse(File.ReadAllText(expanded))!.AsObject();
    }
}
