using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;
using SdServerless.Aws.Recording;
using SdServerless.GpuWorker.Diffusion.Imaging;
using SdServerless.LocalAws.Emulators;
using SdServerless.LocalAws.Iam;
using SdServerless.LocalAws.Templates;
using SdServerless.TestSupport;
using Xunit.Abstractions;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// What AWS would enforce and the emulators do not: every AWS call each deployable made while tasks ran end to end is
/// checked against that deployable's role in the templates (the API, task events and callback functions in
/// serverless.template, the worker in Infrastructure/gpu-tier.yaml), and what each role grants that no call used is
/// written to the test output.
/// </summary>
public class RolePermissionTests(TracedSystemFixture system, ITestOutputHelper output) : IClassFixture<TracedSystemFixture>
{
    /// <summary>Which role each recorded caller runs under once deployed.</summary>
    private static readonly (string Caller, string Template, string Role)[] Callers =
    [
        ("api", "serverless", "ApiFunction"),
        ("events", "serverless", "TaskEventsFunction"),
        ("callback", "serverless", "CallbackFunctionRole"),
        ("worker", "gpu-tier", "WorkerRole" + ForEachExpander.AlphanumericOnly("sdruntime")),
    ];

    [Fact]
    public async Task EveryAwsCallOfClaimCheckedPlainAndSweptTasksIsAllowedByItsRole()
    {
        var claimChecked = await SubmitAsync(LargeInitImage(), "/hooks/claim-checked");
        var plain = await SubmitAsync(null, "/hooks/plain");
        // Two tasks whose publish was lost, for the scheduled sweep (docs/decisions/0341), whose timer the run would end before:
        // one it publishes again through its claim check, one it must fail because its images travelled only in the message.
        var sweptClaimChecked = await WriteUnpublishedAsync(LargeInitImage(), "/hooks/swept");
        var sweptLost = await WriteUnpublishedAsync(null, "/hooks/swept-lost");
        var sweep = await SweepAsync();
        Assert.Equal((1, 1), (sweep["republished"]!.GetValue<int>(), sweep["failed"]!.GetValue<int>()));
        string[] all = [claimChecked, plain, sweptClaimChecked, sweptLost];
        await Eventually.TrueAsync(
            () => Task.FromResult(all.All(id => system.Webhooks.Any(w => w.Body.Contains(id, StringComparison.Ordinal)))),
            "every task's webhook", seconds: 180);

        foreach (var path in new[] { $"/v1/tasks/{claimChecked}", "/v1/tasks", "/v1/runtimes", $"/v1/tasks/{claimChecked}/events" })
        {
            using var read = await system.Api.SendAsync(new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "x-api-key", "local-dev-key" } } });
            read.EnsureSuccessStatusCode();
        }

        var calls = AwsCallLog.Read(system.FunctionsCallLog).Concat(AwsCallLog.Read(system.WorkerCallLog)).Distinct(CallComparer.Instance).ToList();
        var roles = Roles();
        Assert.Equal(Callers.Select(c => c.Caller).Order(), calls.Select(c => c.Caller).Distinct().Order());

        var denied = calls.Select(call => (call, decision: roles[call.Caller].Decide(call))).Where(x => !x.decision.Allowed).ToList();
        foreach (var (caller, _, role) in Callers)
        {
            output.WriteLine($"{caller} ({role}) grants what no call used:");
            foreach (var unused in roles[caller].Unused(calls.Where(c => c.Caller == caller)))
            {
                output.WriteLine("  " + unused);
            }
        }
        Assert.True(denied.Count == 0,
            "AWS would deny these calls:\n" + string.Join("\n", denied.Select(x => $"  {x.call}: {x.decision}")));
        var body = system.Webhooks.First(w => w.Body.Contains(claimChecked, StringComparison.Ordinal)).Body;
        Assert.Contains("\"succeeded\"", body, StringComparison.Ordinal);
        Assert.Contains("\"succeeded\"", WebhookOf(sweptClaimChecked), StringComparison.Ordinal);
        Assert.Contains("publish_failed", WebhookOf(sweptLost), StringComparison.Ordinal);
        Assert.Contains(calls, c => c is { Caller: "callback", Action: "dynamodb:Scan" });
        Assert.Contains(calls, c => c is { Caller: "callback", Action: "s3:PutObject" });
        Assert.Contains(calls, c => c is { Caller: "callback", Action: "sns:Publish" } && c.Resource == system.Stack.Resources["TasksTopic"].Ref);
    }

    private string WebhookOf(string id) => system.Webhooks.First(w => w.Body.Contains(id, StringComparison.Ordinal)).Body;

    /// <summary>
    /// What the API leaves when it dies between its table write and its publish, five minutes ago: a queued image-to-image
    /// task marked publish-pending, with its whole message in its claim check when <paramref name="initImage"/> is given
    /// (the API writes the claim check before it publishes), else nothing that holds its image.
    /// </summary>
    private async Task<string> WriteUnpublishedAsync(string? initImage, string hookPath)
    {
        var created = DateTimeOffset.UtcNow.AddMinutes(-5);
        var output = new TaskOutputLocation(system.Stack.Resources["OutputBucket"].Ref, "outputs");
        var task = new TaskRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Owner = "local-dev",
            Status = TaskStatuses.Queued,
            Runtime = "sdruntime",
            TaskType = TaskTypes.ImageToImage,
            RequestJson = """{"runtime":"sdruntime","task_type":"image-to-image","parameters":{"prompt":"a swept lighthouse","width":64,"height":64,"steps":2,"seed":11,"denoising_strength":0.5},"claim_checked":["init_images"],"output_prefix":"outputs","webhook_events":["completed"]}""",
            RequestHash = "0",
            Output = output,
            CreatedAt = created,
            CallbackUrl = new Uri(system.ReceiverUrl, hookPath).ToString(),
            WebhookEvents = ["completed"],
            ExpiresAt = created.AddDays(1).ToUnixTimeSeconds(),
            PublishPending = true,
        };
        using var dynamoDb = system.Stack.Connection.CreateDynamoDbClient();
        Assert.True((await new TaskTable(dynamoDb, system.Stack.Resources["TasksTable"].Ref).CreateAsync(task, CancellationToken.None)).Created);
        if (initImage is not null)
        {
            var message = new GenerateImageRequested(task.Id, task.Runtime, task.TaskType,
                new GenerationParameters { Prompt = "a swept lighthouse", Width = 64, Height = 64, Steps = 2, Seed = 11, DenoisingStrength = 0.5, InitImages = [initImage] },
                output, created);
            using var s3 = system.Stack.Connection.CreateS3Client();
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = output.Bucket,
                Key = $"payloads/{task.Id}.json",
                ContentBody = JsonSerializer.Serialize(message, ContractsJsonContext.Default.GenerateImageRequested),
                ContentType = "application/json",
            });
        }
        return task.Id;
    }

    /// <summary>The template's schedule event, posted to <c>/events</c> as the Lambda Web Adapter passes it on.</summary>
    private async Task<JsonObject> SweepAsync()
    {
        const string scheduled = """
            {"version":"0","id":"0c2a7f0e-5b1d-4f57-9f0e-2d1c3b4a5e6f","detail-type":"Scheduled Event","source":"aws.events",
             "account":"000000000000","time":"2026-12-06T18:00:00Z","region":"us-east-1",
             "resources":["arn:aws:events:us-east-1:000000000000:rule/sdserverless-QueuedTaskSweep"],"detail":{}}
            """;
        using var response = await system.Api.PostAsync("/events", new StringContent(scheduled, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static Dictionary<string, RolePermissions> Roles()
    {
        var serverless = new TemplateRoles(CloudFormationTemplate.Load(RepositoryLayout.ServerlessTemplate, StackIdentity.Local));
        var gpuTier = new TemplateRoles(
            CloudFormationTemplate.Load(Path.Combine(RepositoryLayout.Root, "Infrastructure", "gpu-tier.yaml"), StackIdentity.Local,
                new Dictionary<string, string> { ["ClusterAdminPrincipalArn"] = "arn:aws:iam::000000000000:role/admin" }),
            serverless.Exports());
        return Callers.ToDictionary(c => c.Caller, c => (c.Template == "serverless" ? serverless : gpuTier).For(c.Role));
    }

    /// <summary>A PNG of noise, too large to travel in the task message (over 200 KiB as base64).</summary>
    private static string LargeInitImage()
    {
        const int side = 320;
        var pixels = new byte[side * side * 3];
        new Random(7).NextBytes(pixels);
        var image = "data:image/png;base64," + Convert.ToBase64String(PngEncoder.Encode(pixels, side, side));
        Assert.True(image.Length > 200 * 1024);
        return image;
    }

    private async Task<string> SubmitAsync(string? initImage, string hookPath)
    {
        var body = new JsonObject
        {
            ["runtime"] = "sdruntime",
            ["task_type"] = initImage is null ? "text-to-image" : "image-to-image",
            ["prompt"] = "a permitted lighthouse",
            ["width"] = 64,
            ["height"] = 64,
            ["steps"] = 2,
            ["seed"] = 11,
            ["callback_url"] = new Uri(system.ReceiverUrl, hookPath).ToString(),
        };
        if (initImage is not null)
        {
            body["init_images"] = new JsonArray(initImage);
            body["denoising_strength"] = 0.5;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = JsonContent.Create(body) };
        request.Headers.Add("x-api-key", "local-dev-key");
        using var response = await system.Api.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var view = await system.Api.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/tasks/{id}") { Headers = { { "x-api-key", "local-dev-key" } } });
        view.EnsureSuccessStatusCode();
        return id;
    }

    private sealed class CallComparer : IEqualityComparer<AwsCall>
    {
        public static readonly CallComparer Instance = new();

        public bool Equals(AwsCall? x, AwsCall? y) => x is not null && y is not null && x.ToString() == y.ToString();

        public int GetHashCode(AwsCall call) => call.ToString().GetHashCode(StringComparison.Ordinal);
    }
}
