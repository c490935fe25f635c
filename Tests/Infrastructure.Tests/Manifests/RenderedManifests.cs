namespace SdServerless.Infrastructure.Tests.Manifests;

/// <summary>Manifests rendered by Infrastructure/k8s/render.mjs into a temporary folder, read back as JSON objects.</summary>
public sealed class RenderedManifests : IDisposable
{
    public const string Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sdserverless-gpu/gpu-worker:0.1.0";

    private readonly TempDirectory directory;

    private RenderedManifests(TempDirectory directory, IReadOnlyList<string> files)
    {
        this.directory = directory;
        Files = files;
    }

    public static string ExampleSettings => RepositoryRoot.Combine("Infrastructure", "k8s", "settings.example.json");

    public static string ExampleCatalogue => RepositoryRoot.Combine("Infrastructure", "k8s", "runtimes.example.json");

    public IReadOnlyList<string> Files { get; }

    public static async Task<RenderedManifests> RenderAsync(InfraTools tools, string settingsFile)
    {
        var directory = new TempDirectory();
        var result = await tools.RenderAsync("--settings", settingsFile, "--image", Image, "--out", directory.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        var files = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new RenderedManifests(directory, files);
    }

    public IReadOnlyList<JsonObject> Objects() => Files.SelectMany(f => YamlDocuments.Read(File.ReadAllText(f))).ToList();

    public JsonObject Single(string kind, string name) =>
        Assert.Single(Objects(), o => (string?)o["kind"] == kind && (string?)o["metadata"]!["name"] == name);

    /// <summary>The pod template of runtime <paramref name="runtime"/>'s Deployment.</summary>
    public JsonNode Pod(string runtime) => Single("Deployment", $"gpu-worker-{runtime}")["spec"]!["template"]!["spec"]!;

    public void Dispose() => directory.Dispose();
}
