using Microsoft.Extensions.Options;
using SdServerless.Contracts.Runtimes;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

public static class ComfyUiExtensions
{
    /// <summary>The generator of a <c>comfyui</c> runtime: a ComfyUI server beside the agent (section <c>ComfyUi</c>).</summary>
    public static IHostApplicationBuilder AddComfyUiGenerator(this IHostApplicationBuilder builder, RuntimeDefinition? entry)
    {
        builder.Services.AddOptions<ComfyUiOptions>().BindConfiguration(ComfyUiOptions.SectionName);
        // The node classes and output limits of this runtime's catalogue entry, the same the API checked at submit.
        builder.Services.AddSingleton(entry?.EffectiveWorkflows ?? RuntimeWorkflows.Default);
        // No resilience handler: POST /prompt is not idempotent, and a retry would queue the workflow twice.
        builder.Services.AddHttpClient<ComfyUiRunner>((sp, http) =>
        {
            var settings = sp.GetRequiredService<IOptions<ComfyUiOptions>>().Value;
            http.BaseAddress = new Uri(settings.BaseUrl);
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        builder.Services.AddSingleton<ITaskGenerator, ComfyUiTaskGenerator>();
        return builder;
    }
}
