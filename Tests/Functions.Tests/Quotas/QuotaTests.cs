using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Quotas;

/// <summary>Per-key quotas against the emulators, each test with a key of its own so no other test's tasks count.</summary>
[Collection(ApiCollection.Name)]
public class QuotaTests(ApiFixture fixture)
{
    [Fact]
    public async Task OverTheInFlightQuotaAnswers429WithRetryAfterAndRecoversWhenATaskEnds()
    {
        var key = $"quota-in-flight-{Guid.NewGuid():N}";
        var owner = ApiKeyAuthenticator.OwnerOf(Encoding.UTF8.GetBytes(key));
        await using var app = fixture.CreateFactory(new Dictionary<string, string>
        {
            ["Api:ApiKeys:2"] = key,
            [$"Quotas:Owners:{owner}:MaxInFlight"] = "2",
            ["Quotas:InFlightRetryAfterSeconds"] = "7",
        });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", key);

        var first = await SubmitAsync(client);
        var second = await SubmitAsync(client);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var refused = await SubmitAsync(client);

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("7", refused.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("max_in_flight", problem.GetProperty("limit").GetString());
        Assert.Equal(2, problem.GetProperty("limit_value").GetInt32());

        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.True(await fixture.Tasks.CompleteAsync(id, TaskStatuses.Succeeded, [], null, null, DateTimeOffset.UtcNow, CancellationToken.None));
        var recovered = await SubmitAsync(client);
        Assert.Equal(HttpStatusCode.Accepted, recovered.StatusCode);
    }

    [Fact]
    public async Task OverThePerDayQuotaAnswers429UntilMidnightUtc()
    {
        var key = $"quota-per-day-{Guid.NewGuid():N}";
        var owner = ApiKeyAuthenticator.OwnerOf(Encoding.UTF8.GetBytes(key));
        await using var app = fixture.CreateFactory(new Dictionary<string, string>
        {
            ["Api:ApiKeys:2"] = key,
            [$"Quotas:Owners:{owner}:MaxPerDay"] = "1",
        });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", key);

        var first = await SubmitAsync(client);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await fixture.Tasks.CompleteAsync(id, TaskStatuses.Succeeded, [], null, null, DateTimeOffset.UtcNow, CancellationToken.None);
        var refused = await SubmitAsync(client);

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("max_per_day", problem.GetProperty("limit").GetString());
        var retryAfter = refused.Headers.RetryAfter!.Delta!.Value;
        var untilMidnight = DateTime.UtcNow.Date.AddDays(1) - DateTime.UtcNow;
        Assert.InRange(retryAfter, untilMidnight - TimeSpan.FromMinutes(1), untilMidnight + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task AKeyWithoutLimitsIsNotCounted()
    {
        using var client = fixture.Client(ApiFixture.KeyB);

        var response = await SubmitAsync(client);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client) =>
        client.PostAsJsonAsync("/v1/tasks", new { prompt = "counted", width = 64, height = 64, steps = 2 });
}
