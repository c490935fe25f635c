extern alias functions;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using SdServerless.GpuWorker;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults;
using SdServerless.TestSupport;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// The system a waiting or watching client talks to: emulators, the Functions app on Kestrel in local dev mode with the
/// local event poller (which feeds waits and event streams), and a GPU worker with the tiny model that records progress
/// every 200 ms.
/// </summary>
public sealed class LiveSystemFixture : LocalAwsFixture
{
    public const string Key = "local-dev-key";

    private WebApplicationFactory<functions::Program>? _functions;
    private WebApplication? _worker;

    public HttpClient Api { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var environment = Stack.ServiceConfiguration();
        _functions = new WebApplicationFactory<functions::Program>().WithWebHostBuilder(host =>
        {
            foreach (var (name, value) in environment)
            {
                host.UseSetting(name, value);
            }
            host.UseSetting("Api:LocalDevMode", "true");
            host.UseSetting("Events:LocalPoller", "true");
            host.UseSetting("Events:LocalPollerWaitSeconds", "1");
            host.UseSetting("Live:KeepAliveSeconds", "1");
        });
        _functions.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _functions.StartServer();
        Api = _functions.CreateClient();
        Api.DefaultRequestHeaders.Add("x-api-key", Key);
        Api.Timeout = TimeSpan.FromMinutes(3);

        var model = Path.Combine(Path.GetTempPath(), "sdserverless-tests", ModelLocator.TinyModelFolderName);
        ModelLocator.EnsureTinyModel(model);
        var worker = WebApplication.CreateBuilder();
        worker.Configuration.AddInMemoryCollection(environment);
        worker.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Worker:Runtime"] = "sdruntime",
            ["Worker:QueueUrl"] = Stack.Resources["RuntimeQueuesdruntime"].Ref,
            ["Worker:ReceiveWaitSeconds"] = "1",
            ["Worker:ProgressIntervalMilliseconds"] = "200",
            ["Worker:Model"] = model,
            ["Diffusion:ExecutionProvider"] = "cpu",
            ["Diffusion:WarmupSize"] = "64",
        });
        worker.WebHost.UseUrls("http://127.0.0.1:0");
        worker.AddBasicServiceDefaults();
        worker.AddApplicationServices();
        _worker = worker.Build();
        _worker.MapDefaultEndpoints();
        await _worker.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        Api?.Dispose();
        if (_worker is not null)
        {
            await _worker.StopAsync();
            await _worker.DisposeAsync();
        }
        if (_functions is not null)
        {
            await _functions.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    /// <summary>A text-to-image request for the tiny model: <paramref name="size"/> pixels square, <paramref name="steps"/> Euler steps.</summary>
    public static JsonObject Request(int size, int steps, int batchSize = 1) => new()
    {
        ["runtime"] = "sdruntime",
        ["task_type"] = "text-to-image",
        ["prompt"] = "a lighthouse, live",
        ["width"] = size,
        ["height"] = size,
        ["steps"] = steps,
        ["batch_size"] = batchSize,
        ["seed"] = 11,
        ["sampler_name"] = "Euler",
    };

    public async Task<HttpResponseMessage> SubmitAsync(JsonObject body, string? prefer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = JsonContent.Create(body) };
        if (prefer is not null)
        {
            request.Headers.Add("Prefer", prefer);
        }
        return await Api.SendAsync(request);
    }
}
