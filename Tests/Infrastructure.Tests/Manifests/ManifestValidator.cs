namespace SdServerless.Infrastructure.Tests.Manifests;

/// <summary>Runs tools/infra/validate-manifests.mjs and reads its JSON report.</summary>
public sealed class ManifestValidator(InfraTools tools)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ManifestReport> ValidateAsync(IEnumerable<string> files)
    {
        var result = await tools.NodeAsync("validate-manifests.mjs", ["--json", .. files]);
        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        var report = JsonSerializer.Deserialize<ManifestReport>(result.StandardOutput, Json) ?? throw new InvalidOperationException("empty report");
        Assert.Equal(report.Errors.Count == 0 ? 0 : 1, result.ExitCode);
        return report;
    }
}
