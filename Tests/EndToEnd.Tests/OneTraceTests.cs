using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;

namespace SdServerless.EndToEnd.Tests;

/// <summary>A task submitted to the API is one trace: API → SNS → queue → worker → SNS → callback → webhook.</summary>
public class OneTraceTests(TracedSystemFixture system) : IClassFixture<TracedSystemFixture>
{
    [Fact]
    public async Task ApiWorkerAndCallbackSpansShareOneTraceInParentChildOrder()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["runtime"] = "sdruntime",
                ["task_type"] = "text-to-image",
                ["prompt"] = "a traced lighthouse",
                ["width"] = 64,
                ["height"] = 64,
                ["steps"] = 3,
                ["seed"] = 5,
                ["sampler_name"] = "Euler",
                ["callback_url"] = new Uri(system.ReceiverUrl, "/hooks/trace").ToString(),
            }),
        };
        request.Headers.Add("x-api-key", "local-dev-key");
        // The client's own span: calls made outside any span are not traced, and would tell the API not to sample.
        using var client = new Activity("client submit").SetIdFormat(ActivityIdFormat.W3C).Start();
        client.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        using var response = await system.Api.SendAsync(request);
        client.Stop();
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var webhook = await Eventually.GetAsync(
            () => Task.FromResult(system.Webhooks.FirstOrDefault(w => w.Body.Contains(id, StringComparison.Ordinal)) is { Path: not null } hit ? (object)hit : null),
            "the webhook");
        var received = ((string Path, string? TraceParent, string Body))webhook;
        await Eventually.TrueAsync(() => Task.FromResult(system.Spans.Any(IsCallback)), "the callback span");

        var spans = system.Spans;
        var servers = string.Join("; ", spans.Where(s => s.Kind == ActivityKind.Server).Select(s => $"{s.DisplayName} route={s.GetTagItem("http.route")}"));
        var api = spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && (s.GetTagItem("http.route") as string)?.TrimEnd('/') == "/v1/tasks" && s.DisplayName.StartsWith("POST", StringComparison.Ordinal));
        Assert.True(api is not null, $"no API span among: {servers}");
        var trace = spans.Where(s => s.TraceId == api.TraceId).ToList();
        Activity Named(string name, Activity? parent = null) =>
            trace.Where(s => s.DisplayName == name && (parent is null || IsDescendant(s, parent, trace))).OrderBy(s => s.StartTimeUtc).First();

        var tasksPublish = Named("SNS.Publish", api);
        var process = Assert.Single(trace, s => s.DisplayName == "sdruntime process");
        var generate = Named("generate images", process);
        // The worker also publishes its start and progress on the results topic; the result comes last, after the upload.
        var resultPublish = trace
            .Where(s => s.DisplayName == "SNS.Publish" && IsDescendant(s, process, trace) && !IsDescendant(s, generate, trace) && s.GetTagItem("messaging.destination.name") as string != "sdserverless-tasks")
            .OrderBy(s => s.StartTimeUtc)
            .Last();
        // The callback also handles the start and progress records; the one that handled the result sends the webhook.
        var callback = trace.Where(IsCallback).FirstOrDefault(s => s.ParentSpanId == resultPublish.SpanId);
        Assert.True(callback is not null, "no callback span under the result's publish");

        // Parent/child order: API → tasks publish → worker (through SQS) → its stages → result publish → callback.
        Assert.Equal(tasksPublish.SpanId, process.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        foreach (var stage in new[] { "encode prompt", "denoise", "vae decode", "png encode", "upload images" })
        {
            Assert.True(IsDescendant(Named(stage, process), process, trace), $"{stage} must be inside the worker's span");
        }
        Assert.Contains(trace, s => s.Kind == ActivityKind.Client && s.DisplayName.StartsWith("POST", StringComparison.Ordinal) && IsDescendant(s, callback, trace));

        // The queue wait is the gap between the publish and the worker's span, and the worker records it.
        Assert.True(process.StartTimeUtc >= tasksPublish.StartTimeUtc + tasksPublish.Duration - TimeSpan.FromMilliseconds(1));
        Assert.True(process.GetTagItem("sdserverless.queue_wait_ms") is long wait && wait >= 0);

        // The webhook request carries the same trace.
        Assert.NotNull(received.TraceParent);
        Assert.Equal(api.TraceId.ToHexString(), received.TraceParent!.Split('-')[1]);
        Assert.Equal(TaskStatuses.Succeeded, JsonNode.Parse(received.Body)!["status"]!.GetValue<string>());
    }

    /// <summary>The callback's span for a results-queue record.</summary>
    private static bool IsCallback(Activity span) =>
        span.Kind == ActivityKind.Consumer && span.DisplayName.EndsWith("-results process", StringComparison.Ordinal);

    private static bool IsDescendant(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }
        return false;
    }
}
