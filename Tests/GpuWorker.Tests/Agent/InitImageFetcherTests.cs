using Microsoft.Extensions.Options;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Agent;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Imaging;
using SdServerless.GpuWorker.Tests.Diffusion.Imaging;
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
        Assert.Equal(SmallPng, await Fetcher().FetchAsync($"data:image/png;base64,{Convert.ToBase64String(SmallPng)}", CancellationToken.None));
        Assert.Equal(SmallPng, await Fetcher().FetchAsync(Convert.ToBase64String(SmallPng), CancellationToken.None));
    }

    [Theory]
    [InlineData("DATA:image/png;base64,")]
    [InlineData("data:IMAGE/PNG;BASE64,")]
    public async Task DataUrlsAreReadInAnyCaseAsTheApiAcceptsThem(string prefix) =>
        Assert.Equal(SmallPng, await Fetcher().FetchAsync(prefix + Convert.ToBase64String(SmallPng), CancellationToken.None));

    [Fact]
    public async Task ImagesWhoseHeaderStatesTooManyPixelsAreTheTasksFault()
    {
        var huge = Convert.ToBase64String(CraftedImageHeaders.Png(14000, 14000));

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => Fetcher().FetchFirstAsync(new GenerationParameters { InitImages = [huge] }, CancellationToken.None));

        Assert.Equal("init_image_too_large", error.Code);
        Assert.Equal("init_images[0] is 14000 × 14000 pixels; the limit is 16777216 pixels (width × height).", error.Message);
    }

    [Fact]
    public async Task BytesThatAreNotAPngOrJpegAreTheTasksFault()
    {
        var error = await Assert.ThrowsAsync<GenerationInputException>(() => Fetcher().FetchAsync("AQID", CancellationToken.None, "inputs \"mask.png\""));

        Assert.Equal("invalid_init_image", error.Code);
        Assert.StartsWith("inputs \"mask.png\" is not a PNG or JPEG", error.Message);
    }

    [Fact]
    public async Task ThePixelLimitIsASetting()
    {
        var fetcher = new InitImageFetcher(fixture.Stack.Connection.CreateS3Client(), new PolicyClients(), Options.Create(new WorkerOptions { MaxInitImagePixels = 100 }));
        var source = Convert.ToBase64String(CraftedImageHeaders.Png(11, 10));

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => fetcher.FetchAsync(source, CancellationToken.None));

        Assert.Equal("init_image_too_large", error.Code);
        Assert.Equal(CraftedImageHeaders.Png(10, 10), await fetcher.FetchAsync(Convert.ToBase64String(CraftedImageHeaders.Png(10, 10)), CancellationToken.None));
    }

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

    private static readonly byte[] SmallPng = PngEncoder.Encode(new byte[3 * 2 * 2], 2, 2);

    /// <summary>The worker's init-image client: public addresses only, checked at connect time.</summary>
    private sealed class PolicyClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(OutboundAddressPolicy.PublicOnly.CreateHandler());
    }
}
