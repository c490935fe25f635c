using System.Net;
using SdServerless.Functions.RateLimits;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.RateLimits;

/// <summary>The local host's per-key token bucket, standing in for API Gateway's usage-plan throttle (0348).</summary>
[Collection(ApiCollection.Name)]
public class LocalRateLimitTests(ApiFixture fixture)
{
    private const int Requests = 12;

    [Fact]
    public async Task AKeyOverItsBurstIsAnswered429WithRetryAfterWhileAnotherKeyIsNot()
    {
        await using var app = fixture.CreateFactory(new Dictionary<string, string> { ["Api:RateLimit:PerSecond"] = "1", ["Api:RateLimit:Burst"] = "2" });
        using var busy = app.CreateClient();
        busy.DefaultRequestHeaders.Add("x-api-key", ApiFixture.KeyA);
        using var other = app.CreateClient();
        other.DefaultRequestHeaders.Add("x-api-key", ApiFixture.KeyB);

        // Sent together, so they arrive well within the second one token takes to come back.
        var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => busy.GetAsync("/v1/tasks")));
        var fromOther = await other.GetAsync("/v1/tasks");

        // The burst passes; what follows within the refill waits. How many more pass depends on how fast they arrive.
        Assert.True(answers.Count(answer => answer.StatusCode == HttpStatusCode.OK) >= 2);
        Assert.All(answers, answer => Assert.Contains(answer.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        var refused = Assert.Single(answers.Where(answer => answer.StatusCode == HttpStatusCode.TooManyRequests).Take(1));
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate", problem.GetProperty("limit").GetString());
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, fromOther.StatusCode);
    }

    [Fact]
    public async Task WithoutSettingsNoRequestIsThrottled()
    {
        using var client = fixture.Client();

        var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => client.GetAsync("/v1/tasks")));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
    }

    [Fact]
    public async Task BehindApiGatewayTheGatewayThrottlesAndTheAppDoesNot()
    {
        await using var app = fixture.CreateFactory(new Dictionary<string, string>
        {
            ["Api:RateLimit:PerSecond"] = "1", ["Api:RateLimit:Burst"] = "1", ["Api:TrustApiGatewayKeys"] = "true",
        });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", ApiFixture.KeyA);

        var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => client.GetAsync("/v1/tasks")));

        Assert.All(answers, answer => Assert.NotEqual(HttpStatusCode.TooManyRequests, answer.StatusCode));
    }

    [Fact]
    public void TheBucketHoldsTheBurstAndRefillsAtTheRate()
    {
        var bucket = RateLimitExtensions.BucketFor(new RateLimitOptions { PerSecond = 50, Burst = 100 });
        var narrow = RateLimitExtensions.BucketFor(new RateLimitOptions { PerSecond = 50, Burst = 10 });

        Assert.Equal((100, 50, TimeSpan.FromSeconds(1), 0), (bucket.TokenLimit, bucket.TokensPerPeriod, bucket.ReplenishmentPeriod, bucket.QueueLimit));
        Assert.Equal(50, narrow.TokenLimit);
    }
}
