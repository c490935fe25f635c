using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using SdServerless.GpuWorker;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.LocalAws.Emulators;
using SdServerless.ServiceDefaults;

namespace SdServerless.SystemSupport;

/// <summary>
/// A GPU worker for the <c>sdruntime</c> runtime hosted in the test's process, on the tiny model and the CPU, taking
/// tasks from the stack's three priority queues; <c>settings</c> override its configuration and <c>configure</c> adds
/// services (an in-memory span exporter, say).
/// </summary>
public sealed class InProcessWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessWorker(WebApplication app) => _app = app;

    public static async Task<InProcessWorker> StartAsync(
        LocalAwsStack stack, IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var model = Path.Combine(Path.GetTempPath(), "sdserverless-tests", ModelLocator.TinyModelFolderName);
        ModelLocator.EnsureTinyModel(model);
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(stack.ServiceConfiguration());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Worker:Runtime"] = "sdruntime",
            ["Worker:QueueUrl"] = stack.Resources["RuntimeQueuesdruntime"].Ref,
            ["Worker:HighQueueUrl"] = stack.Resources["RuntimeHighQueuesdruntime"].Ref,
            ["Worker:LowQueueUrl"] = stack.Resources["RuntimeLowQueuesdruntime"].Ref,
            ["Worker:ReceiveWaitSeconds"] = "1",
            ["Worker:Model"] = model,
            ["Diffusion:ExecutionProvider"] = "cpu",
            ["Diffusion:WarmupSize"] = "64",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddBasicServiceDefaults();
        builder.AddApplicationServices();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return new InProcessWorker(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
