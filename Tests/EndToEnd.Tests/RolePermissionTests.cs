using System.Net.Http.Json;
using System.Text.Json.Nodes;
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
/// checked against that deployable's role in the templates (the API and callback functions in serverless.template, the
/// worker in Infrastructure/gpu-tier.yaml), and what each role grants that no call used is written to the test output.
/// </summary>
public class RolePermissionTests(TracedSystemFixture system, ITestOutputHelper output) : IClassFixture<TracedSystemFixture>
{
    /// <summary>Which role each recorded caller runs under once deployed.</summary>
    private static readonly (string Caller, string Template, string Role)[] Callers =
    [
        ("api", "serverless", "ApiFunction"),
        ("callback", "serverless", "CallbackFunctionRole"),
        ("worker", "gpu-tier", "WorkerRole" + ForEachExpander.AlphanumericOnly("sdruntime")),
    ];

    [Fact]
    public async Task EveryAwsCallOfClaimCheckedAndPlainTasksIsAllowedByItsRole()
    {
        var claimChecked = await SubmitAsync(LargeInitImage(), "/hooks/claim-checked");
        var plain = await SubmitAsync(null, "/hooks/plain");
        await Eventually.TrueAsync(
            () => Task.FromResult(new[] { claimChecked, plain }.All(id => system.Webhooks.Any(w => w.Body.Contains(id, StringComparison.Ordinal)))),
            "both tasks' webhooks", seconds: 180);

        foreach (var path in new[] { $"/v1/tasks/{claimChecked}", "/v1/tasks", "/v1/runtimes" })
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
