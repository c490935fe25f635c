using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SdServerless.GpuWorker.Agent;

/// <summary>Ready while the queue answers and the worker is not draining (Kubernetes then stops sending it traffic and KEDA counts it out).</summary>
public sealed class WorkerReadinessCheck(WorkerState state) : IHealthCheck
{
    public const string Name = "queue-agent";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state switch
        {
            { Draining: true } => HealthCheckResult.Unhealthy("draining for shutdown"),
            { QueueReachable: false } => HealthCheckResult.Unhealthy($"queue not reachable: {state.QueueError}"),
            _ => HealthCheckResult.Healthy(),
        });
}
