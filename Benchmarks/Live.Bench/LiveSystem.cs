extern alias functions;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SdServerless.GpuWorker;
using SdServerless.LocalAws.Emulators;
using SdServerless.ServiceDefaults;

namespace SdServerless.Live.Bench;

/// <summary>The Functions app on Kestrel with the local event poller (as the AppHost runs it) and one worker with the tiny model, in process.</summary>
public sealed class LiveSystem : IAsyncDisposable
{
    private readonly WebApplicationFactory<functions::Program> _functions;
    private readonly WebApplication _worker;

    private LiveSystem(WebApplicationFactory<functions::Program> functions, WebApplication worker, HttpClient api)
    {
        _functions = functions;
        _worker = worker;
        Api = api;
    }

    public HttpClient Api { get; }

    public static async Task<LiveSystem> StartAsync(LocalAwsStack stack, string model)
    {
        var settings = stack.ServiceConfiguration();
        var functions = new WebApplicationFactory<functions::Program>().WithWebHostBuilder(host =>
        {
            foreach (var (name, value) in settings)
            {
                host.UseSetting(name, value);
            }
            // No test manifest names the app's folder here: its files lie beside the bench's.
            host.UseContentRoot(AppContext.BaseDirectory);
            host.UseSetting("Api:LocalDevMode", "true");
            host.UseSetting("Events:LocalPoller", "true");
            host.UseSetting("Logging:LogLevel:Default", "Warning");
            host.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        });
        functions.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        functions.StartServer();
        var api = functions.CreateClient();
        api.DefaultRequestHeaders.Add("x-api-key", "local-dev-key");
        api.Timeout = TimeSpan.FromMinutes(2);

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Worker:Runtime"] = "sdruntime",
            ["Worker:QueueUrl"] = stack.Resources["RuntimeQueuesdruntime"].Ref,
            ["Worker:Model"] = model,
            ["Diffusion:ExecutionProvider"] = "cpu",
            ["Diffusion:WarmupSize"] = "64",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddBasicServiceDefaults();
        builder.AddApplicationServices();
        var worker = builder.Build();
        worker.MapDefaultEndpoints();
        await worker.StartAsync();
        return new LiveSystem(functions, worker, api);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _worker.StopAsync();
        await _worker.DisposeAsync();
        await _functions.DisposeAsync();
    }
}
