using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class RuntimesApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task ListsConfiguredRuntimesWithQueueCounts()
    {
        using var client = fixture.Client();
        await client.PostAsJsonAsync("/v1/tasks", new { runtime = "sdturbo", prompt = "count me" });

        var answer = await client.GetFromJsonAsync<JsonElement>("/v1/runtimes");

        var runtimes = answer.GetProperty("runtimes").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(["sdruntime", "sdturbo", "comfy"], runtimes.Keys);
        Assert.True(runtimes["sdruntime"].GetProperty("default").GetBoolean());
        Assert.False(runtimes["sdturbo"].GetProperty("default").GetBoolean());
        var turbo = runtimes["sdturbo"];
        Assert.True(turbo.GetProperty("visible_messages").GetInt64() + turbo.GetProperty("in_flight_messages").GetInt64() >= 1);
    }

    [Fact]
    public void ADefaultRuntimeThatIsNotDeployedStopsTheStartWithTheReason()
    {
        using var factory = fixture.CreateFactory(new Dictionary<string, string> { ["Api:DefaultRuntime"] = "nowhere" });

        var error = Assert.Throws<SdServerless.Contracts.Runtimes.RuntimeCatalogException>(() => factory.CreateClient());

        Assert.Contains("'nowhere' is not a deployed runtime", error.Message);
    }

    [Fact]
    public async Task RuntimesTellWhatEachAccepts()
    {
        using var client = fixture.Client();

        var answer = await client.GetFromJsonAsync<JsonElement>("/v1/runtimes");

        var runtimes = answer.GetProperty("runtimes").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal("onnx", runtimes["sdruntime"].GetProperty("type").GetString());
        Assert.Equal(64, runtimes["sdruntime"].GetProperty("limits").GetProperty("size_multiple").GetInt32());
        Assert.Equal("a1111", runtimes["sdturbo"].GetProperty("type").GetString());
        Assert.Equal(8, runtimes["sdturbo"].GetProperty("limits").GetProperty("size_multiple").GetInt32());
        Assert.True(runtimes["sdturbo"].GetProperty("dynamic_model").GetBoolean());
        Assert.Equal(["comfyui-workflow"], runtimes["comfy"].GetProperty("task_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("DPM++ 2M Karras", runtimes["sdruntime"].GetProperty("samplers").EnumerateArray().Select(t => t.GetString()));
    }
}
