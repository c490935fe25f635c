using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class ListTasksTests(ApiFixture fixture)
{
    [Fact]
    public async Task PagesWalkAllTasksNewestFirstAndFilterByStatus()
    {
        var key = $"list-key-{Guid.NewGuid():N}";
        await using var factory = fixture.CreateFactory(new Dictionary<string, string> { ["Api:ApiKeys:2"] = key });
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", key);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var response = await client.PostAsJsonAsync("/v1/tasks", new { prompt = $"task {i}" });
            created.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }
        await client.DeleteAsync($"/v1/tasks/{created[1]}");

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks?limit=2{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            seen.AddRange(page.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            cursor = page.TryGetProperty("next_cursor", out var next) ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null && pages < 10);
        var canceled = await client.GetFromJsonAsync<JsonElement>("/v1/tasks?status=canceled");

        Assert.Equal(Enumerable.Reverse(created), seen);
        Assert.InRange(pages, 3, 4);
        Assert.Equal([created[1]], canceled.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task BadQueryValuesAreNamed()
    {
        using var client = fixture.Client();

        var response = await client.GetAsync("/v1/tasks?limit=1000&status=done&cursor=zzz");

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["limit", "status"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ForgedCursorIsNamed()
    {
        using var client = fixture.Client();

        var response = await client.GetAsync("/v1/tasks?cursor=bm90LWEtY3Vyc29y");

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("cursor", errors.Keys);
    }
}
