using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class IdempotencyTests(ApiFixture fixture)
{
    private static HttpRequestMessage Submit(object body, string key) => new(HttpMethod.Post, "/v1/tasks")
    {
        Content = JsonContent.Create(body),
        Headers = { { "Idempotency-Key", key } },
    };

    private static async Task<string> IdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

    [Fact]
    public async Task SameKeyAndBodyReturnsTheOriginalTask()
    {
        using var client = fixture.Client();
        var key = Guid.NewGuid().ToString();

        var first = await client.SendAsync(Submit(new { prompt = "idempotent" }, key));
        var second = await client.SendAsync(Submit(new { prompt = "idempotent" }, key));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await IdOf(first), await IdOf(second));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task SameKeyWithADifferentBodyIs409()
    {
        using var client = fixture.Client();
        var key = Guid.NewGuid().ToString();

        await client.SendAsync(Submit(new { prompt = "first" }, key));
        var conflict = await client.SendAsync(Submit(new { prompt = "second" }, key));

        var problem = await ProblemAssert.IsProblemAsync(conflict, HttpStatusCode.Conflict);
        Assert.Contains("Idempotency-Key", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TheSameKeyFromAnotherApiKeyIsIndependent()
    {
        using var alpha = fixture.Client(ApiFixture.KeyA);
        using var bravo = fixture.Client(ApiFixture.KeyB);
        var key = Guid.NewGuid().ToString();

        var first = await alpha.SendAsync(Submit(new { prompt = "shared key" }, key));
        var second = await bravo.SendAsync(Submit(new { prompt = "shared key" }, key));

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.NotEqual(await IdOf(first), await IdOf(second));
    }

    [Fact]
    public async Task ConcurrentRetriesWithOneKeyMakeOneTask()
    {
        using var client = fixture.Client();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.SendAsync(Submit(new { prompt = "racing" }, key))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(IdOf));
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public async Task OverlongIdempotencyKeyIsNamed()
    {
        using var client = fixture.Client();

        var response = await client.SendAsync(Submit(new { prompt = "x" }, new string('k', 256)));

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Idempotency-Key", errors.Keys);
    }
}
