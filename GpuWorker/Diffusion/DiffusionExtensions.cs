using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdServerless.GpuWorker.Diffusion.Models;

namespace SdServerless.GpuWorker.Diffusion;

public static class DiffusionExtensions
{
    /// <summary>
    /// Registers the diffusion engine: <see cref="DiffusionEngine"/> as a singleton whose model is loaded once and warmed up
    /// in the background at start, options from the <c>Diffusion</c> section, and a readiness check for <c>/readyz</c>.
    /// </summary>
    public static IHostApplicationBuilder AddDiffusionEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DiffusionOptions>().BindConfiguration(DiffusionOptions.SectionName);
        builder.Services.AddSingleton<DiffusionEngine>();
        builder.Services.AddHostedService<DiffusionModelLoader>();
        builder.Services.AddHealthChecks().AddCheck<DiffusionReadinessCheck>(DiffusionReadinessCheck.Name, tags: [SdServerless.ServiceDefaults.Extensions.ReadyTag]);
        return builder;
    }
}
