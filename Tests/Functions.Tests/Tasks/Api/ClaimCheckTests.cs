using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using SdServerless.Contracts.Messages;
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

    /// <summary>A ComfyUI workflow whose one node holds <paramref name="bytes"/> of text, as a large prompt list or inline data would.</summary>
    private static JsonElement WorkflowOf(int bytes) => JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["3"] = new { class_type = "KSampler", inputs = new { seed = 5, steps = 20 } },
        ["6"] = new { class_type = "CLIPTextEncode", inputs = new { text = new string('w', bytes) } },
        ["9"] = new { class_type = "SaveImage", inputs = new { images = new object[] { "8", 0 } } },
    })).RootElement;

    [Theory]
    [InlineData(300 * 1024)]
    [InlineData(450_000)]
    public async Task AWorkflowOverSnsAndItemLimitsTravelsThroughS3AndIsNotEchoed(int workflowBytes)
    {
        using var client = fixture.Client();
        var image = "data:image/png;base64," + Convert.ToBase64String(new byte[40_000]);

        var response = await client.PostAsJsonAsync("/v1/tasks", new
        {
            runtime = "comfy", task_type = "comfyui-workflow", workflow = WorkflowOf(workflowBytes), inputs = new[] { new { name = "init.png", image } },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = accepted.GetProperty("id").GetString()!;
        Assert.False(accepted.GetProperty("parameters").TryGetProperty("workflow", out _));
        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.Stack.Resources["RuntimeQueuecomfy"].Ref, id);
        Assert.True(message.Body.Length < 16 * 1024, $"pointer is {message.Body.Length} bytes");
        var pointer = JsonSerializer.Deserialize(message.Body, ContractsJsonContext.Default.GenerateImageRequested)!;
        Assert.Null(pointer.Parameters.Workflow);
        Assert.Null(pointer.Parameters.Inputs);
        Assert.Equal($"s3://{fixture.OutputBucket}/payloads/{id}.json", pointer.PayloadS3Uri);

        using var stored = await fixture.S3.GetObjectAsync(new GetObjectRequest { BucketName = fixture.OutputBucket, Key = $"payloads/{id}.json" });
        var full = await JsonSerializer.DeserializeAsync(stored.ResponseStream, ContractsJsonContext.Default.GenerateImageRequested);
        Assert.Equal(workflowBytes, full!.Parameters.Workflow!.Value.GetProperty("6").GetProperty("inputs").GetProperty("text").GetString()!.Length);
        Assert.Equal(image, Assert.Single(full.Parameters.Inputs!).Image);

        var record = await fixture.Tasks.GetAsync(id, default);
        Assert.True(record!.RequestJson.Length < 16 * 1024, $"stored request is {record.RequestJson.Length} characters");
        var listed = await client.GetFromJsonAsync<JsonElement>("/v1/tasks?limit=100");
        var view = listed.GetProperty("tasks").EnumerateArray().Single(task => task.GetProperty("id").GetString() == id);
        Assert.True(view.GetRawText().Length < 16 * 1024);
        Assert.Contains("workflow", view.GetProperty("claim_checked").EnumerateArray().Select(part => part.GetString()));
    }

    [Fact]
    public async Task ATaskWhoseLargePartsAreInS3IsRetriedWithThem()
    {
        using var client = fixture.Client();
        var workflow = WorkflowOf(20 * 1024);
        var response = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "comfy", task_type = "comfyui-workflow", workflow });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.Stack.Resources["RuntimeQueuecomfy"].Ref, id);
        Assert.True(await fixture.Tasks.TryStartAsync(id, "worker-1", DateTimeOffset.UtcNow, default));
        Assert.True(await fixture.Tasks.CompleteAsync(id, TaskStatuses.Failed, [], new TaskError("engine_fault", "out of memory"), null, DateTimeOffset.UtcNow, default));

        var retry = await client.PostAsync($"/v1/tasks/{id}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var retryId = (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.Stack.Resources["RuntimeQueuecomfy"].Ref, retryId);
        using var stored = await fixture.S3.GetObjectAsync(new GetObjectRequest { BucketName = fixture.OutputBucket, Key = $"payloads/{retryId}.json" });
        var full = await JsonSerializer.DeserializeAsync(stored.ResponseStream, ContractsJsonContext.Default.GenerateImageRequested);
        Assert.Equal(workflow.GetRawText(), full!.Parameters.Workflow!.Value.GetRawText());
    }

    [Fact]
    public async Task ARetryWhoseClaimCheckExpiredIs409()
    {
        using var client = fixture.Client();
        var response = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "comfy", task_type = "comfyui-workflow", workflow = WorkflowOf(20 * 1024) });
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.Stack.Resources["RuntimeQueuecomfy"].Ref, id);
        Assert.True(await fixture.Tasks.TryStartAsync(id, "worker-1", DateTimeOffset.UtcNow, default));
        Assert.True(await fixture.Tasks.CompleteAsync(id, TaskStatuses.Failed, [], new TaskError("engine_fault", "out of memory"), null, DateTimeOffset.UtcNow, default));
        await fixture.S3.DeleteObjectAsync(fixture.OutputBucket, $"payloads/{id}.json");

        var retry = await client.PostAsync($"/v1/tasks/{id}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        var problem = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("workflow", problem.GetProperty("claim_checked").EnumerateArray().Select(part => part.GetString()));
    }
}
