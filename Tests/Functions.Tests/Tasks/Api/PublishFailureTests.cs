using System.Net;
using System.Net.Http.Json;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Submission;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class PublishFailureTests(ApiFixture fixture)
{
    [Fact]
    public async Task TaskWhosePublishFailsIsMarkedFailedNotLeftQueued()
    {
        var missingTopic = fixture.Stack.Resources["TasksTopic"].Ref + "-missing";
        await using var factory = fixture.CreateFactory(new Dictionary<string, string> { ["Resources:TasksTopicArn"] = missingTopic });
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", ApiFixture.KeyA);

        var response = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "nowhere to go" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        var id = problem.GetProperty("task_id").GetString()!;
        var task = await fixture.Tasks.GetAsync(id, default);
        Assert.Equal(TaskStatuses.Failed, task!.Status);
        Assert.Equal(TaskSubmitter.PublishFailedCode, task.Error?.Code);
        Assert.NotNull(task.FinishedAt);
    }
}
