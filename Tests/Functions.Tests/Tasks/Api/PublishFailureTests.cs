using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Submission;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.TestSupport;

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

    [Fact]
    public async Task APublishThatHangsIsCutOffByItsBudgetAndTheTaskMarkedFailed()
    {
        var requests = 0;
        RequestDelegate neverAnswer = async context =>
        {
            Interlocked.Increment(ref requests);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        await using var silent = await LoopbackServer.StartAsync(app => app.Run(neverAnswer));
        await using var factory = fixture.CreateFactory(new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_SNS"] = silent.BaseAddress.ToString(),
            ["Tasks:PublishBudgetSeconds"] = "1",
        });
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", ApiFixture.KeyA);

        var response = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "no answer" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        var task = await fixture.Tasks.GetAsync(problem.GetProperty("task_id").GetString()!, default);
        Assert.Equal(TaskSubmitter.PublishFailedCode, task!.Error?.Code);
        // One attempt, cut off: without the budget the SNS client would try 4 times, 10 s each, past the function's 29 s.
        Assert.Equal(1, requests);
    }
}
