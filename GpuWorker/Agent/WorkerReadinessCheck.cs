using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Ready while the generator is ready, the queue answers and the worker is not draining or paused after a fault of its
/// own (Kubernetes then stops counting it, and an operator sees why on <c>/readyz</c>).
/// </summary>
public sealed class WorkerReadinessCheck(WorkerState state) : IHealthCheck
{
    public const string Name = "queue-agent";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state switch
        {
            { Draining: true } => HealthCheckResult.Unhealthy("draining for shutdown"),
            { GeneratorReady: false } => HealthCheckResult.Unhealthy($"generator not ready: {state.GeneratorError}"),
            { QueueReachable: false } => HealthCheckResult.Unhealthy($"queue not reachable: {state.QueueError}"),
            _ => HealthCheckResult.Healthy(),
        });
}
