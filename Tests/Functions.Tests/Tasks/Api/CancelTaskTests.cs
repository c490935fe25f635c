using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class CancelTaskTests(ApiFixture fixture)
{
    private async Task<string> SubmitAsync(HttpClient client) =>
        (await (await client.PostAsJsonAsync("/v1/tasks", new { prompt = "to cancel" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

    [Fact]
    public async Task QueuedTaskIsCanceledAndASecondCancelIs409()
    {
        using var client = fixture.Client();
        var id = await SubmitAsync(client);

        var canceled = await client.DeleteAsync($"/v1/tasks/{id}");
        var again = await client.DeleteAsync($"/v1/tasks/{id}");

        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        var task = await canceled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TaskStatuses.Canceled, task.GetProperty("status").GetString());
        Assert.True(task.TryGetProperty("finished_at", out _));
        var problem = await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Equal(TaskStatuses.Canceled, problem.GetProperty("task_status").GetString());
    }

    [Fact]
    public async Task RunningTaskIsCanceledAndTheWorkerSeesIt()
    {
        using var client = fixture.Client();
        var id = await SubmitAsync(client);
        Assert.True(await fixture.Tasks.TryStartAsync(id, "worker-1", DateTimeOffset.UtcNow, default));

        var canceled = await client.DeleteAsync($"/v1/tasks/{id}");

        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        Assert.False(await fixture.Tasks.UpdateProgressAsync(id, 3, 20, default));
        Assert.False(await fixture.Tasks.CompleteAsync(id, TaskStatuses.Succeeded, [], null, null, DateTimeOffset.UtcNow, default));
    }

    [Fact]
    public async Task FinishedTaskIs409()
    {
        using var client = fixture.Client();
        var id = await SubmitAsync(client);
        await fixture.Tasks.TryStartAsync(id, "worker-1", DateTimeOffset.UtcNow, default);
        await fixture.Tasks.CompleteAsync(id, TaskStatuses.Succeeded, [new($"s3://{fixture.OutputBucket}/outputs/{id}/{id}-0.png", 7)], null, null, DateTimeOffset.UtcNow, default);

        var response = await client.DeleteAsync($"/v1/tasks/{id}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UnknownOrForeignTaskIs404()
    {
        using var alpha = fixture.Client(ApiFixture.KeyA);
        using var bravo = fixture.Client(ApiFixture.KeyB);
        var id = await SubmitAsync(alpha);

        var foreign = await bravo.DeleteAsync($"/v1/tasks/{id}");
        var unknown = await alpha.DeleteAsync("/v1/tasks/does-not-exist");

        await ProblemAssert.IsProblemAsync(foreign, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Equal(TaskStatuses.Queued, (await fixture.Tasks.GetAsync(id, default))!.Status);
    }
}
