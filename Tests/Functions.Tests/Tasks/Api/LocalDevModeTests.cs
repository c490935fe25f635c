using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Contracts.Runtimes;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.TestSupport;

namespace SdServerless.Functions.Tests.Tasks.Api;

/// <summary>
/// Runs the built app as its own process with exactly what the AppHost gives it: the stack's service environment plus
/// <c>Api__LocalDevMode=true</c>, no API keys configured.
/// </summary>
[Collection(ApiCollection.Name)]
public class LocalDevModeTests(ApiFixture fixture)
{
    [Fact]
    public async Task AppStartedLikeTheAppHostAcceptsTheLocalDevKeyAndLoopbackCallbacks()
    {
        var port = FreePort.Next();
        var settings = fixture.Stack.ServiceConfiguration();
        settings["Api:LocalDevMode"] = "true";
        settings[RuntimeCatalog.PathSetting] = ApiFixture.CatalogPath;
        settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        await using var process = ServiceProcess.StartFunctions(settings);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await process.WaitForHealthAsync(client.BaseAddress);
        client.DefaultRequestHeaders.Add("x-api-key", "local-dev-key");

        var response = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "local", callback_url = "http://127.0.0.1:5999/hook" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var task = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");
        Assert.Equal("http://127.0.0.1:5999/hook", task.GetProperty("callback_url").GetString());
    }
}
