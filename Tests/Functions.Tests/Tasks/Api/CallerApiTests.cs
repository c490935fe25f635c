using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class CallerApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task MeNamesTheOwnerOfTheKeyNeverTheKey()
    {
        using var client = fixture.Client(ApiFixture.KeyB);

        var response = await client.GetAsync("/v1/me");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var caller = JsonDocument.Parse(text).RootElement;
        Assert.Equal(ApiKeyAuthenticator.OwnerOf(Encoding.UTF8.GetBytes(ApiFixture.KeyB)), caller.GetProperty("owner").GetString());
        Assert.Equal("configured", caller.GetProperty("key_kind").GetString());
        Assert.DoesNotContain(ApiFixture.KeyB, text);
    }

    [Fact]
    public async Task MeRefusesAMissingKey()
    {
        using var client = fixture.Client(apiKey: null);

        var response = await client.GetAsync("/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TaskViewShowsTheAcceptedParametersWithDefaults()
    {
        using var client = fixture.Client();
        var submitted = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "show my parameters", steps = 12, seed = 7 });
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var task = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");

        var parameters = task.GetProperty("parameters");
        Assert.Equal("show my parameters", parameters.GetProperty("prompt").GetString());
        Assert.Equal(12, parameters.GetProperty("steps").GetInt32());
        Assert.Equal(7, parameters.GetProperty("seed").GetInt64());
        Assert.Equal(512, parameters.GetProperty("width").GetInt32());
        Assert.False(parameters.TryGetProperty("init_images", out _));
    }
}
