using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace SdServerless.EndToEnd.Tests;

/// <summary>What a submit with <c>Prefer: wait</c> answers for a task that ended in time, whichever process fed the wait.</summary>
public static class WaitedAnswer
{
    public static async Task AssertSucceededWithOutputAsync(HttpResponseMessage response, string applied, string? context = null)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}\n{context}");
        Assert.Equal(applied, Assert.Single(response.Headers.GetValues("Preference-Applied")));
        var task = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("succeeded", task!["status"]!.GetValue<string>());
        var output = Assert.Single(task["outputs"]!.AsArray());
        Assert.StartsWith("http", output!["url"]!.GetValue<string>());
    }
}
