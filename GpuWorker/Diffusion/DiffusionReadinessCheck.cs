using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>Ready once the model is loaded and warmed up (tagged for <c>/readyz</c>).</summary>
public sealed class DiffusionReadinessCheck(DiffusionEngine engine) : IHealthCheck
{
    public const string Name = "diffusion-model";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine switch
        {
            { IsLoaded: true } => HealthCheckResult.Healthy($"Model loaded ({engine.ExecutionProvider})"),
            { LoadFailure: { } failure } => HealthCheckResult.Unhealthy($"Model failed to load: {failure.Message}"),
            _ => HealthCheckResult.Unhealthy("Model is loading"),
        });
}
