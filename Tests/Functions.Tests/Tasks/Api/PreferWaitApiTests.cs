using System.Net;
using System.Net.Http.Json;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

/// <summary>The API function as Lambda runs it hears no task events: there <c>Prefer: wait</c> is not applied rather than waited out blind.</summary>
[Collection(ApiCollection.Name)]
public class PreferWaitApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task WaitIsNotAppliedWhereNoTaskEventsReachTheApp()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = JsonContent.Create(new { prompt = "a quick fox", steps = 4 }) };
        request.Headers.Add("Prefer", "wait=30");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(response.Headers.Contains("Preference-Applied"));
    }

    [Fact]
    public async Task WaitOnAGetOfAnEndedTaskAnswersAtOnceWithThePreferenceApplied()
    {
        using var fed = fixture.CreateFactory(new Dictionary<string, string> { ["Events:Enabled"] = "true" });
        using var client = fed.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", ApiFixture.KeyA);
        var submitted = await (await client.PostAsJsonAsync("/v1/tasks", new { prompt = "soon canceled", steps = 4 })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var id = submitted.GetProperty("id").GetString()!;
        (await client.DeleteAsync($"/v1/tasks/{id}")).EnsureSuccessStatusCode();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tasks/{id}");
        request.Headers.Add("Prefer", "wait");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("wait=60", Assert.Single(response.Headers.GetValues("Preference-Applied")));
        Assert.Equal("canceled", (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("status").GetString());
    }
}
