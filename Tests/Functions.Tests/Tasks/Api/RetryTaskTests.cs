using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class RetryTaskTests(ApiFixture fixture)
{
    private static async Task<JsonElement> SubmitAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/v1/tasks", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string> SubmitAndFailAsync(HttpClient client, object body)
    {
        var id = (await SubmitAsync(client, body)).GetProperty("id").GetString()!;
        Assert.True(await fixture.Tasks.TryStartAsync(id, "worker-1", DateTimeOffset.UtcNow, default));
        Assert.True(await fixture.Tasks.CompleteAsync(id, TaskStatuses.Failed, [], new TaskError("engine_fault", "out of memory"), null, DateTimeOffset.UtcNow, default));
        return id;
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string id) =>
        await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");

    [Fact]
    public async Task FailedTaskIsSubmittedAgainWithItsParametersAndBothAreLinked()
    {
        using var client = fixture.Client();
        var id = await SubmitAndFailAsync(client, new { prompt = "a lighthouse", steps = 7, seed = 1234, metadata = new { job = "r1" } });

        var response = await client.PostAsync($"/v1/tasks/{id}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var retry = await response.Content.ReadFromJsonAsync<JsonElement>();
        var retryId = retry.GetProperty("id").GetString()!;
        Assert.NotEqual(id, retryId);
        Assert.Equal($"/v1/tasks/{retryId}", response.Headers.Location?.OriginalString);
        Assert.Equal(TaskStatuses.Queued, retry.GetProperty("status").GetString());
        Assert.Equal(id, retry.GetProperty("retry_of").GetString());
        var original = await GetAsync(client, id);
        Assert.Equal(original.GetProperty("parameters").GetRawText(), retry.GetProperty("parameters").GetRawText());
        Assert.Equal(1234, retry.GetProperty("parameters").GetProperty("seed").GetInt64());
        Assert.Equal("r1", retry.GetProperty("metadata").GetProperty("job").GetString());
        Assert.Equal(retryId, original.GetProperty("retried_by").GetString());
        Assert.Equal(TaskStatuses.Failed, original.GetProperty("status").GetString());
        Assert.Equal("engine_fault", original.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(id, (await GetAsync(client, retryId)).GetProperty("retry_of").GetString());
    }

    [Fact]
    public async Task CanceledTaskWithARandomSeedGetsARandomSeedAgain()
    {
        using var client = fixture.Client();
        var id = (await SubmitAsync(client, new { prompt = "random seed" })).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/v1/tasks/{id}")).StatusCode);

        var response = await client.PostAsync($"/v1/tasks/{id}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var retry = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(-1, retry.GetProperty("parameters").GetProperty("seed").GetInt64());
        Assert.Equal("random seed", retry.GetProperty("parameters").GetProperty("prompt").GetString());
        var original = await GetAsync(client, id);
        Assert.Equal(TaskStatuses.Canceled, original.GetProperty("status").GetString());
        Assert.Equal(retry.GetProperty("id").GetString(), original.GetProperty("retried_by").GetString());
    }

    [Fact]
    public async Task QueuedRunningAndSucceededTasksAre409()
    {
        using var client = fixture.Client();
        var queued = (await SubmitAsync(client, new { prompt = "queued" })).GetProperty("id").GetString()!;
        var running = (await SubmitAsync(client, new { prompt = "running" })).GetProperty("id").GetString()!;
        var succeeded = (await SubmitAsync(client, new { prompt = "succeeded" })).GetProperty("id").GetString()!;
        await fixture.Tasks.TryStartAsync(running, "worker-1", DateTimeOffset.UtcNow, default);
        await fixture.Tasks.TryStartAsync(succeeded, "worker-1", DateTimeOffset.UtcNow, default);
        await fixture.Tasks.CompleteAsync(succeeded, TaskStatuses.Succeeded, [new($"s3://{fixture.OutputBucket}/outputs/{succeeded}/{succeeded}-0.png", 7)], null, null, DateTimeOffset.UtcNow, default);

        foreach (var (id, status) in new[] { (queued, TaskStatuses.Queued), (running, TaskStatuses.Running), (succeeded, TaskStatuses.Succeeded) })
        {
            var problem = await ProblemAssert.IsProblemAsync(await client.PostAsync($"/v1/tasks/{id}/retry", null), HttpStatusCode.Conflict);
            Assert.Equal(status, problem.GetProperty("task_status").GetString());
            var task = await GetAsync(client, id);
            Assert.Equal(status, task.GetProperty("status").GetString());
            Assert.Null((await fixture.Tasks.GetAsync(id, default))!.RetriedBy);
        }
    }

    [Fact]
    public async Task AnotherKeysTaskOrAnUnknownIdIs404()
    {
        using var alpha = fixture.Client(ApiFixture.KeyA);
        using var bravo = fixture.Client(ApiFixture.KeyB);
        var id = await SubmitAndFailAsync(alpha, new { prompt = "alpha's" });

        var foreign = await bravo.PostAsync($"/v1/tasks/{id}/retry", null);
        var unknown = await alpha.PostAsync("/v1/tasks/does-not-exist/retry", null);

        await ProblemAssert.IsProblemAsync(foreign, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Null((await fixture.Tasks.GetAsync(id, default))!.RetriedBy);
    }

    [Fact]
    public async Task SameIdempotencyKeyAnswersWithTheSameRetry()
    {
        using var client = fixture.Client();
        var id = await SubmitAndFailAsync(client, new { prompt = "retried twice" });

        async Task<HttpResponseMessage> RetryAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/tasks/{id}/retry");
            request.Headers.Add("Idempotency-Key", $"retry-{id}");
            return await client.SendAsync(request);
        }
        var first = await RetryAsync();
        var second = await RetryAsync();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(firstId, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.NotEqual(id, firstId);
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task TaskWhoseInitImagesAreNotKeptIs409()
    {
        using var client = fixture.Client();
        var png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
        var id = await SubmitAndFailAsync(client, new { task_type = TaskTypes.ImageToImage, prompt = "repaint", init_images = new[] { png } });

        var problem = await ProblemAssert.IsProblemAsync(await client.PostAsync($"/v1/tasks/{id}/retry", null), HttpStatusCode.Conflict);

        Assert.Equal(TaskTypes.ImageToImage, problem.GetProperty("task_type").GetString());
        Assert.Null((await fixture.Tasks.GetAsync(id, default))!.RetriedBy);
    }

    [Fact]
    public async Task LinkingARetryNeverTouchesAnUnfinishedOrMissingTask()
    {
        using var client = fixture.Client();
        var queued = (await SubmitAsync(client, new { prompt = "still queued" })).GetProperty("id").GetString()!;

        Assert.False(await fixture.Tasks.LinkRetryAsync(queued, (await fixture.Tasks.GetAsync(queued, default))!.Owner, "some-retry", default));
        Assert.False(await fixture.Tasks.LinkRetryAsync("never-written", "anyone", "some-retry", default));

        var task = await fixture.Tasks.GetAsync(queued, default);
        Assert.Equal(TaskStatuses.Queued, task!.Status);
        Assert.Null(task.RetriedBy);
        Assert.Null(await fixture.Tasks.GetAsync("never-written", default));
    }
}
