using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Net.Sockets;

using SdServerless.TestSupport;

namespace SdServerless.AppHost.Tests;

/// <summary>Starts the whole AppHost (emulators, provisioning, Functions, GpuWorker) and waits for every resource.</summary>
public class AppHostTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    /// <summary>With a ComfyUI runtime added as a newcomer would add one: its worker runs beside the default one, and the API offers it.</summary>
    [Fact]
    public async Task EveryResourceBecomesHealthyAndServicesAnswerHealthz()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"LocalAws:MessagingPort={FreePort.Next()}", $"LocalAws:DynamoDbPort={FreePort.Next()}",
             "LocalRuntimes:comfy:Type=comfyui", $"LocalRuntimes:comfy:Url=http://127.0.0.1:{FreePort.Next()}"],
            (options, _) => options.DisableDashboard = true);
        await using var app = await builder.BuildAsync().WaitAsync(StartTimeout);
        await app.StartAsync().WaitAsync(StartTimeout);

        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var resource in new[] { "aws", "dynamodb", "functions", "gpu-worker", "gpu-worker-comfy" })
        {
            await notifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartTimeout);
        }
        await notifications.WaitForResourceAsync("provision", KnownResourceStates.Finished).WaitAsync(StartTimeout);

        using var functions = app.CreateHttpClient("functions");
        using var worker = app.CreateHttpClient("gpu-worker");
        Assert.Equal(HttpStatusCode.OK, (await functions.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync("/healthz")).StatusCode);
        functions.DefaultRequestHeaders.Add("x-api-key", "local-dev-key");
        var runtimes = await functions.GetFromJsonAsync<JsonElement>("/v1/runtimes");
        Assert.Equal([("sdruntime", "onnx"), ("comfy", "comfyui")],
            runtimes.GetProperty("runtimes").EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("type").GetString())));
    }
}
