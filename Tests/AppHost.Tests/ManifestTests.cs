using System.Diagnostics;
using System.Text.Json.Nodes;
using SdServerless.LocalAws.Emulators;

namespace SdServerless.AppHost.Tests;

public class ManifestTests
{
    private const string RegenerateCommand = "dotnet run --project AppHost -- --publisher manifest --output-path ../aspire-manifest.json";

    [Fact]
    public async Task CommittedManifestMatchesTheAppHost()
    {
        var committedPath = Path.Combine(RepositoryLayout.Root, "aspire-manifest.json");
        Assert.True(File.Exists(committedPath), $"aspire-manifest.json is missing; create it with: {RegenerateCommand}");
        var freshPath = Path.Combine(RepositoryLayout.Root, $"aspire-manifest.check-{Guid.NewGuid():N}.json");
        try
        {
            await PublishManifestAsync(freshPath);

            var committed = JsonNode.Parse(await File.ReadAllTextAsync(committedPath));
            var fresh = JsonNode.Parse(await File.ReadAllTextAsync(freshPath));
            Assert.True(JsonNode.DeepEquals(committed, fresh),
                $"aspire-manifest.json is stale. Regenerate it from the repository root with: {RegenerateCommand}\nExpected:\n{fresh}");
        }
        finally
        {
            File.Delete(freshPath);
        }
    }

    private static async Task PublishManifestAsync(string outputPath)
    {
        var start = new ProcessStartInfo("dotnet", ["run", "--project", "AppHost", "--no-build", "--", "--publisher", "manifest", "--output-path", outputPath])
        {
            WorkingDirectory = RepositoryLayout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(process.ExitCode == 0 && File.Exists(outputPath),
            $"The manifest publisher failed (exit {process.ExitCode}):\n{await output}\n{await errors}");
    }
}
