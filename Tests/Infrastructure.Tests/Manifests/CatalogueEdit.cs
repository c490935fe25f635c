namespace SdServerless.Infrastructure.Tests.Manifests;

/// <summary>The example settings and catalogue, changed by a test and written to a temporary folder for the renderer.</summary>
public sealed class CatalogueEdit : IDisposable
{
    private readonly TempDirectory directory = new();

    public JsonObject Settings { get; } = JsonNode.Parse(File.ReadAllText(RenderedManifests.ExampleSettings))!.AsObject();

    public JsonObject Catalogue { get; } = JsonNode.Parse(File.ReadAllText(RenderedManifests.ExampleCatalogue))!.AsObject();

    public JsonObject Runtime(string name) =>
        Catalogue["runtimes"]!.AsArray().Single(r => (string?)r!["name"] == name)!.AsObject();

    /// <summary>Writes both files (the settings naming the catalogue beside them) and returns the settings file.</summary>
    public string Write()
    {
        directory.Write("runtimes.json", Catalogue.ToJsonString());
        Settings["catalogue"] = "runtimes.json";
        return directory.Write("settings.json", Settings.ToJsonString());
    }

    public Task<ProcessResult> RenderAsync(InfraTools tools) =>
        tools.RenderAsync("--settings", Write(), "--image", RenderedManifests.Image, "--out", directory.Combine("out"));

    public void Dispose() => directory.Dispose();
}
