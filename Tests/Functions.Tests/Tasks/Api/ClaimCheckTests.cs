using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class ClaimCheckTests(ApiFixture fixture)
{
    [Fact]
    public async Task A900KilobyteInitImageTravelsThroughS3()
    {
        using var client = fixture.Client();
        var image = "data:image/png;base64," + Convert.ToBase64String(Enumerable.Range(0, 675_000).Select(i => (byte)(i * 31)).ToArray());
        Assert.True(image.Length > 900_000);

        var response = await client.PostAsJsonAsync("/v1/tasks", new { task_type = TaskTypes.ImageToImage, prompt = "repaint", init_images = new[] { image } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.RuntimeQueueUrl, id);
        var pointer = JsonSerializer.Deserialize(message.Body, ContractsJsonContext.Default.GenerateImageRequested)!;
        Assert.True(message.Body.Length < 200 * 1024);
        Assert.Null(pointer.Parameters.InitImages);
        Assert.Equal($"s3://{fixture.OutputBucket}/payloads/{id}.json", pointer.PayloadS3Uri);
        Assert.Equal(TaskTypes.ImageToImage, message.MessageAttributes["task_type"].StringValue);

        using var stored = await fixture.S3.GetObjectAsync(new GetObjectRequest { BucketName = fixture.OutputBucket, Key = $"payloads/{id}.json" });
        var full = await JsonSerializer.DeserializeAsync(stored.ResponseStream, ContractsJsonContext.Default.GenerateImageRequested);
        Assert.Equal(id, full!.Id);
        Assert.Equal([image], full.Parameters.InitImages);
    }
}
