using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Aws.Signing;
using SdServerless.Contracts.Inputs;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Uploads;

/// <summary>
/// Presigned uploads against the emulators: fauxqs checks presigned URLs as S3 does (tools/emulators/presigned-s3.mjs),
/// so a wrong content type, a wrong length or an expired URL is refused by the store itself, not by the API.
/// </summary>
[Collection(ApiCollection.Name)]
public class UploadTests(ApiFixture fixture)
{
    private static readonly HttpClient Storage = new();

    [Fact]
    public async Task AThreeMegabyteUploadIsUsedAsAnInitImageThroughItsS3Uri()
    {
        using var client = fixture.Client();
        var bytes = FakePng(3 * 1024 * 1024);
        var upload = await CreateAsync(client, "image/png", bytes.Length);

        using var put = await PutAsync(upload, bytes, "image/png");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var response = await client.PostAsJsonAsync("/v1/tasks",
            new { task_type = TaskTypes.ImageToImage, prompt = "repaint", init_images = new[] { upload.GetProperty("ref").GetString() } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.RuntimeQueueUrl, id);
        var sent = JsonSerializer.Deserialize(message.Body, ContractsJsonContext.Default.GenerateImageRequested)!;
        var key = OwnerInputPrefix.UploadKey(OwnerOf(ApiFixture.KeyA), upload.GetProperty("id").GetString()!);
        Assert.Equal([$"s3://{fixture.OutputBucket}/{key}"], sent.Parameters.InitImages);
        using var stored = await fixture.S3.GetObjectAsync(fixture.OutputBucket, key);
        Assert.Equal(bytes.Length, stored.ContentLength);
    }

    [Fact]
    public async Task TheAnswerDescribesASignedPutBoundToTypeAndLength()
    {
        using var client = fixture.Client();
        var upload = await CreateAsync(client, "image/jpeg", 1234);

        Assert.Equal("PUT", upload.GetProperty("method").GetString());
        Assert.StartsWith("upload:", upload.GetProperty("ref").GetString(), StringComparison.Ordinal);
        Assert.Equal("image/jpeg", upload.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Equal("1234", upload.GetProperty("headers").GetProperty("Content-Length").GetString());
        Assert.Contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost", upload.GetProperty("upload_url").GetString(), StringComparison.Ordinal);
        Assert.Contains($"/inputs/{OwnerInputPrefix.OwnerHash(OwnerOf(ApiFixture.KeyA))}/uploads/", upload.GetProperty("upload_url").GetString(), StringComparison.Ordinal);
        Assert.True(upload.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task TheStoreRefusesAnotherContentTypeThanTheSignedOne()
    {
        using var client = fixture.Client();
        var bytes = FakePng(2048);
        var upload = await CreateAsync(client, "image/png", bytes.Length);

        using var put = await PutAsync(upload, bytes, "image/jpeg");

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Contains("SignatureDoesNotMatch", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await FindAsync(upload));
    }

    [Fact]
    public async Task TheStoreRefusesABodyLargerThanTheSignedSize()
    {
        using var client = fixture.Client();
        var upload = await CreateAsync(client, "image/png", 1000);

        using var put = await PutAsync(upload, FakePng(1001), "image/png");

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Null(await FindAsync(upload));
    }

    [Fact]
    public async Task TheStoreRefusesAnExpiredUrl()
    {
        var presigner = new S3PutPresigner(fixture.Stack.Connection.Region, fixture.Stack.Connection.S3Endpoint);
        var url = presigner.Presign(fixture.OutputBucket, "inputs/x/uploads/expired", "image/png", 10, TimeSpan.FromSeconds(60),
            new SigningCredentials("test", "test"), DateTimeOffset.UtcNow.AddMinutes(-5));
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(new byte[10]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        using var put = await Storage.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Contains("Request has expired", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherKeysUploadIsUnknown()
    {
        using var owner = fixture.Client(ApiFixture.KeyB);
        var bytes = FakePng(4096);
        var upload = await CreateAsync(owner, "image/png", bytes.Length);
        using var put = await PutAsync(upload, bytes, "image/png");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var other = fixture.Client();

        var response = await other.PostAsJsonAsync("/v1/tasks",
            new { task_type = TaskTypes.ImageToImage, prompt = "steal", init_images = new[] { upload.GetProperty("ref").GetString() } });
        var never = await other.PostAsJsonAsync("/v1/tasks",
            new { task_type = TaskTypes.ImageToImage, prompt = "guess", init_images = new[] { "upload:abcdefghijklmnopqrstuvwxyz" } });

        var problem = await FieldErrorAsync(response, "init_images[0]");
        var unknown = await FieldErrorAsync(never, "init_images[0]");
        Assert.Contains("unknown", problem, StringComparison.Ordinal);
        Assert.Equal(unknown.Replace("abcdefghijklmnopqrstuvwxyz", "ID", StringComparison.Ordinal),
            problem.Replace(upload.GetProperty("id").GetString()!, "ID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUploadOverTheRuntimesInputLimitIsRefusedAtSubmitNamingTheField()
    {
        using var client = fixture.Client();
        var bytes = FakePng(1024 * 1024 + 1);
        var upload = await CreateAsync(client, "image/png", bytes.Length);
        using var put = await PutAsync(upload, bytes, "image/png");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var response = await client.PostAsJsonAsync("/v1/tasks", new
        {
            runtime = "sdturbo",
            task_type = TaskTypes.ImageToImage,
            prompt = "too big",
            init_images = new[] { upload.GetProperty("ref").GetString() },
        });

        var problem = await FieldErrorAsync(response, "init_images[0]");
        Assert.Contains("at most 1048576 bytes", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/html", 10, "content_type")]
    [InlineData("image/png", 0, "size")]
    [InlineData("image/png", 60L * 1024 * 1024, "size")]
    public async Task ABadUploadRequestNamesTheField(string contentType, long size, string field)
    {
        using var client = fixture.Client();

        var response = await client.PostAsJsonAsync("/v1/uploads", new { content_type = contentType, size });

        await FieldErrorAsync(response, field);
    }

    private static async Task<string> FieldErrorAsync(HttpResponseMessage response, string field)
    {
        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.True(errors.ContainsKey(field), $"no error for {field}: {string.Join(", ", errors.Keys)}");
        return string.Join(" ", errors[field]);
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, string contentType, long size)
    {
        var response = await client.PostAsJsonAsync("/v1/uploads", new { content_type = contentType, size });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<HttpResponseMessage> PutAsync(JsonElement upload, byte[] bytes, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, upload.GetProperty("upload_url").GetString()) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await Storage.SendAsync(request);
    }

    private async Task<Amazon.S3.Model.GetObjectMetadataResponse?> FindAsync(JsonElement upload)
    {
        var url = new Uri(upload.GetProperty("upload_url").GetString()!);
        var key = url.AbsolutePath[(fixture.OutputBucket.Length + 2)..];
        try
        {
            return await fixture.S3.GetObjectMetadataAsync(fixture.OutputBucket, key);
        }
        catch (Amazon.S3.AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static string OwnerOf(string key) => SdServerless.Functions.Hosting.ApiKeyAuthenticator.OwnerOf(System.Text.Encoding.UTF8.GetBytes(key));

    /// <summary>A PNG signature followed by noise: the API reads only the stored object's size and type.</summary>
    private static byte[] FakePng(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        return bytes;
    }
}
