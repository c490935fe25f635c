using SdServerless.Contracts.Runtimes;

namespace SdServerless.Infrastructure.Tests.Manifests;

/// <summary>The renderer reads the same catalogue as the API and the worker, and refuses one it cannot deploy, saying why.</summary>
public sealed class RuntimeCatalogueTests(InfraTools tools) : IClassFixture<InfraTools>
{
    [Fact]
    public void TheExampleCatalogueLoadsInTheContracts()
    {
        var catalogue = RuntimeCatalog.Load(RenderedManifests.ExampleCatalogue);

        Assert.Equal(["onnx", "a1111", "comfyui"], catalogue.Runtimes.Select(r => r.Type));
        Assert.Equal("123456789012.dkr.ecr.us-east-1.amazonaws.com/sdserverless/sd-webui:1.10.1", catalogue.Get("sdwebui").Gpu?.Image);
        Assert.Equal(6, catalogue.Get("sdwebui").Gpu?.Scaling?.MaxReplicas);
        Assert.Equal(["g6"], catalogue.Get("comfyui").Gpu?.NodeRequirements?.InstanceFamilies);
        Assert.Equal(16, catalogue.Get("comfyui").EffectiveWorkflows.MaxOutputs);
        Assert.True(catalogue.Get("comfyui").EffectiveWorkflows.Allows("KSampler"));
        Assert.False(catalogue.Get("comfyui").EffectiveWorkflows.Allows("LoadLatent"));
    }

    [Theory]
    [InlineData("comfyui", "{\"maxOutputs\":1000}", "workflows.maxOutputs must be 1 to 100")]
    [InlineData("comfyui", "{\"nodeClasses\":[]}", "workflows.nodeClasses must list at least one node class name")]
    [InlineData("sdwebui", "{\"maxOutputs\":4}", "workflows applies to comfyui runtimes only")]
    public void WorkflowLimitsTheResultMessageCannotHoldAreRefusedByTheContracts(string runtime, string workflows, string reason)
    {
        var document = JsonNode.Parse(File.ReadAllText(RenderedManifests.ExampleCatalogue))!;
        document["runtimes"]!.AsArray().Single(r => (string?)r!["name"] == runtime)!["workflows"] = JsonNode.Parse(workflows);

        var error = Assert.Throws<RuntimeCatalogException>(() => RuntimeCatalog.Parse(document.ToJsonString()));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRepositoryCatalogueLoadsInTheContracts() =>
        Assert.NotEmpty(RuntimeCatalog.Load(RepositoryRoot.Combine(RuntimeCatalog.FileName)).Runtimes);

    [Theory]
    [InlineData("type", "\"stablecog\"", "runtime 'comfyui': type must be one of onnx, a1111, comfyui; got 'stablecog'")]
    [InlineData("gpu", "{}", "runtime 'comfyui': a comfyui runtime needs gpu.image")]
    [InlineData("gpu", "{\"image\":\"comfyui:latest\"}", "needs gpu.image, its server's image pinned by tag or digest; got 'comfyui:latest'")]
    [InlineData("gpu", "{\"image\":\"r/c:1\",\"replicas\":2}", "runtime 'comfyui': gpu: 'replicas' is not a known key")]
    [InlineData("gpu", "{\"image\":\"r/c:1\",\"scaling\":{\"queueLengthTarget\":0}}", "gpu.scaling.queueLengthTarget must be a whole number from 1 to 10000; got '0'")]
    [InlineData("gpu", "{\"image\":\"r/c:1\",\"nodeRequirements\":{\"capacityTypes\":[\"reserved\"]}}", "capacityTypes holds 'reserved'; it takes spot, on-demand")]
    [InlineData("workflows", "{\"maxOutput\":3}", "runtime 'comfyui': workflows: 'maxOutput' is not a known key")]
    [InlineData("model", "\"/opt/models/comfy\"", "model '/opt/models/comfy' cannot reach a pod: give an s3:// prefix under s3://sdserverless-outputs-123456789012-us-east-1/models/comfyui/")]
    [InlineData("model", "\"s3://other-bucket/models/comfyui/\"", "model 's3://other-bucket/models/comfyui/' cannot reach a pod")]
    public async Task ACatalogueTheTierCannotDeployIsRefusedWithTheReason(string key, string json, string reason)
    {
        using var edit = new CatalogueEdit();
        edit.Runtime("comfyui")[key] = JsonNode.Parse(json);

        var result = await edit.RenderAsync(tools);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(reason, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOnnxRuntimeTakesNoServerImage()
    {
        using var edit = new CatalogueEdit();
        edit.Runtime("sdruntime")["gpu"] = new JsonObject { ["image"] = "r/x:1" };

        var result = await edit.RenderAsync(tools);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("runtime 'sdruntime': gpu.image applies to a1111 and comfyui runtimes", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeployedRuntimeMissingFromTheCatalogueIsRefused()
    {
        using var edit = new CatalogueEdit();
        edit.Settings["runtimes"] = new JsonArray("sdruntime", "sdxl-turbo");

        var result = await edit.RenderAsync(tools);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("runtime 'sdxl-turbo' is deployed by the settings but not defined (it defines sdruntime, sdwebui, comfyui)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACatalogueThatIsNotThereIsNamedRelativeToTheSettings()
    {
        using var temp = new TempDirectory();
        var settings = JsonNode.Parse(File.ReadAllText(RenderedManifests.ExampleSettings))!.AsObject();
        settings["catalogue"] = "missing/runtimes.json";
        var file = temp.Write("settings.json", settings.ToJsonString());

        var result = await tools.RenderAsync("--settings", file, "--image", RenderedManifests.Image, "--out", temp.Combine("out"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"'catalogue' names {temp.Combine("missing/runtimes.json")}, which does not exist", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheDeployedRuntimesAreRendered()
    {
        using var edit = new CatalogueEdit();
        edit.Settings["runtimes"] = new JsonArray("comfyui");

        var result = await edit.RenderAsync(tools);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["cluster.yaml", "observability.yaml", "worker-comfyui.yaml"],
            result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Path.GetFileName));
    }
}
