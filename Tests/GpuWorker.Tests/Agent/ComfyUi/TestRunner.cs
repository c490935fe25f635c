using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SdServerless.Contracts.Runtimes;
using SdServerless.GpuWorker.Agent.ComfyUi;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.TestSupport.ComfyUi;

namespace SdServerless.GpuWorker.Tests.Agent.ComfyUi;

/// <summary>A <see cref="ComfyUiRunner"/> pointed at a test server, with short polls and a test-sized deadline on each run.</summary>
public sealed class TestRunner : IDisposable
{
    /// <summary>Ends a hung test; not a speed assertion.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public TestRunner(ComfyUiServer server, Action<ComfyUiOptions>? configure = null, TimeProvider? time = null, RuntimeWorkflows? workflows = null)
    {
        Options = new ComfyUiOptions { BaseUrl = server.BaseUrl.ToString(), PollMilliseconds = 50, ReadyTimeoutSeconds = 20, TimeoutSeconds = 25 };
        configure?.Invoke(Options);
        _http = new HttpClient { BaseAddress = new Uri(Options.BaseUrl) };
        Runner = new ComfyUiRunner(_http, Microsoft.Extensions.Options.Options.Create(Options), time ?? TimeProvider.System, NullLogger<ComfyUiRunner>.Instance, workflows);
    }

    public ComfyUiOptions Options { get; }

    public ComfyUiRunner Runner { get; }

    /// <summary>Runs the workflow, reads every image it saved (as the output writer does, one at a time), then cleans up.</summary>
    public async Task<IReadOnlyList<GeneratedImage>> RunAsync(ComfyWorkflowRequest request, IProgress<DenoiseProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var result = await Runner.RunAsync(request, progress, cancellationToken).WaitAsync(Deadline, CancellationToken.None);
        var images = new List<GeneratedImage>();
        foreach (var image in result.Images)
        {
            images.Add(new GeneratedImage(await image.ReadAsync(cancellationToken).WaitAsync(Deadline, CancellationToken.None), image.Seed));
        }
        return images;
    }

    public void Dispose() => _http.Dispose();
}
