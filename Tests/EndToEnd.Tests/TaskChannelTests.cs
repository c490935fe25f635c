using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SdServerless.Aws.Recording;
using SdServerless.LocalAws.Emulators;
using SdServerless.LocalAws.Iam;
using SdServerless.LocalAws.Templates;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// Waiting and watching as on AWS: the API process has no callback flow of its own and hears the task's channel on the
/// AppSync Events API, which the separate callback process publishes to (docs/decisions/0337-task-event-channel.md).
/// </summary>
public sealed class TaskChannelTests(TaskChannelSystemFixture system) : IClassFixture<TaskChannelSystemFixture>
{
    [Fact]
    public async Task QuickTaskWithPreferWaitAnswers200WithItsOutputsInAnApiWithoutCallbackFlow()
    {
        using var response = await system.SubmitAsync(LiveSystemFixture.Request(size: 64, steps: 4), prefer: "wait=30");

        await WaitedAnswer.AssertSucceededWithOutputAsync(response, "wait=30", system.Output);
    }

    [Fact]
    public async Task EventStreamDeliversProgressThenTheEndFromTheChannel()
    {
        using var submitted = await system.SubmitAsync(LiveSystemFixture.Request(size: 512, steps: 150));
        var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tasks/{id}/events");
        using var stream = await system.Api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        stream.EnsureSuccessStatusCode();
        // Fed by the channel, the stream reads its task only at its start and end: every progress event but one read at
        // the start comes from a published progress, and without the channel the stream would never hear the end.
        var events = await ServerSentEvent.ReadAsync(await stream.Content.ReadAsStreamAsync());

        var progress = events.Where(e => e.Event == "progress").Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.True(progress.Count >= 1, $"progress events: {progress.Count}\n{system.Output}");
        Assert.All(progress, p => Assert.Equal(150, p.GetProperty("steps").GetInt32()));
        var steps = progress.Select(p => p.GetProperty("step").GetInt32()).ToList();
        Assert.Equal(steps.Order().Distinct().ToList(), steps);
        var end = events[^1];
        Assert.Equal("status", end.Event);
        Assert.Equal("succeeded", JsonDocument.Parse(end.Data).RootElement.GetProperty("status").GetString());
        Assert.True(events.FindIndex(e => e.Event == "progress") < events.Count - 1);
    }

    [Fact]
    public async Task ChannelCallsAreMadeAndAllowedByEachFunctionsRole()
    {
        using var response = await system.SubmitAsync(LiveSystemFixture.Request(size: 64, steps: 2), prefer: "wait=30");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var calls = AwsCallLog.Read(system.ApiCallLog).Concat(AwsCallLog.Read(system.CallbackCallLog))
            .Where(c => c.Action.StartsWith("appsync:", StringComparison.Ordinal)).ToList();
        Assert.Contains(calls, c => c is { Caller: "api", Action: "appsync:EventConnect" });
        Assert.Contains(calls, c => c is { Caller: "api", Action: "appsync:EventSubscribe" });
        Assert.Contains(calls, c => c is { Caller: "callback", Action: "appsync:EventPublish" });
        var template = new TemplateRoles(CloudFormationTemplate.Load(RepositoryLayout.ServerlessTemplate, StackIdentity.Local));
        var roles = new Dictionary<string, RolePermissions>
        {
            ["api"] = template.For("ApiFunction"),
            ["callback"] = template.For("CallbackFunctionRole"),
        };
        var denied = calls.Select(call => (call, decision: roles[call.Caller].Decide(call))).Where(x => !x.decision.Allowed).ToList();
        Assert.True(denied.Count == 0, "AWS would deny these calls:\n" + string.Join("\n", denied.Select(x => $"  {x.call}: {x.decision}")));
    }
}
