using Microsoft.Extensions.Options;
using SdServerless.GpuWorker.Agent;
using SdServerless.ServiceDefaults.Net;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>Init images: data URLs and base64, and URLs held to the same public-address rules as the API.</summary>
public class InitImageFetcherTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private InitImageFetcher Fetcher(long limit = 1024) =>
        new(fixture.Stack.Connection.CreateS3Client(), new PolicyClients(), Options.Create(new WorkerOptions { MaxInitImageBytes = limit, InitImageTimeoutSeconds = 5 }));

    [Fact]
    public async Task DataUrlsAndPlainBase64AreDecoded()
    {
        Assert.Equal([1, 2, 3], await Fetcher().FetchAsync("data:image/png;base64,AQID", CancellationToken.None));
        Assert.Equal([1, 2, 3], await Fetcher().FetchAsync("AQID", CancellationToken.None));
    }

    [Theory]
    [InlineData("DATA:image/png;base64,AQID")]
    [InlineData("data:IMAGE/PNG;BASE64,AQID")]
    public async Task DataUrlsAreReadInAnyCaseAsTheApiAcceptsThem(string url) =>
        Assert.Equal([1, 2, 3], await Fetcher().FetchAsync(url, CancellationToken.None));

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/iam.png", "not a public address")]
    [InlineData("https://10.0.0.1/image.png", "not a public address")]
    [InlineData("https://127.0.0.1/image.png", "not a public address")]
    [InlineData("http://example.com/image.png", "must use https")]
    public async Task UrlsToPrivateAddressesOrWithoutTlsAreRefused(string url, string reason)
    {
        var error = await Assert.ThrowsAsync<InitImageException>(() => Fetcher().FetchAsync(url, CancellationToken.None));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task ImagesOverTheLimitAreRefused()
    {
        var error = await Assert.ThrowsAsync<InitImageException>(() => Fetcher(limit: 2).FetchAsync(Convert.ToBase64String(new byte[64]), CancellationToken.None));

        Assert.Contains("limit", error.Message);
    }

    [Fact]
    public async Task MissingS3ObjectIsAnInitImageError()
    {
        var bucket = fixture.Stack.Resources["OutputBucket"].Ref;

        var error = await Assert.ThrowsAsync<InitImageException>(() => Fetcher().FetchAsync($"s3://{bucket}/inputs/missing.png", CancellationToken.None));

        Assert.Contains("cannot be read", error.Message);
    }

    /// <summary>The worker's init-image client: public addresses only, checked at connect time.</summary>
    private sealed class PolicyClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(OutboundAddressPolicy.PublicOnly.CreateHandler());
    }
}
