namespace SdServerless.Infrastructure.Tests.Scaling;

/// <summary>
/// The replica count KEDA's aws-sqs-queue scaler and the HorizontalPodAutoscaler it drives settle on:
/// 1. metric = ApproximateNumberOfMessages (+ NotVisible when scaleOnInFlight) (+ Delayed when scaleOnDelayed);
/// 2. the scaler is active when metric &gt; activationQueueLength; inactive, KEDA scales to minReplicaCount;
/// 3. active from zero, KEDA sets 1 replica and the HPA takes over with an AverageValue target of queueLength:
///    ratio = metric / (queueLength × current); within the 0.1 tolerance the count stays, else ceil(metric / queueLength);
/// 4. the HPA keeps the result within [max(minReplicaCount, 1), maxReplicaCount].
/// Rate limits (HPA behavior, cooldownPeriod) decide how fast this count is reached, not what it is.
/// </summary>
public static class KedaSqsScaling
{
    public const double HpaTolerance = 0.1;

    public static long Metric(SqsScalerSettings settings, long visible, long inFlight, long delayed = 0) =>
        visible + (settings.ScaleOnInFlight ? inFlight : 0) + (settings.ScaleOnDelayed ? delayed : 0);

    public static int DesiredReplicas(SqsScalerSettings settings, long visible, long inFlight, int currentReplicas, long delayed = 0)
    {
        // 1. The scaler's metric.
        var metric = Metric(settings, visible, inFlight, delayed);

        // 2. Activation.
        if (metric <= settings.ActivationQueueLength)
        {
            return settings.MinReplicas;
        }

        // 3. The HPA's AverageValue calculation, starting from at least the one replica KEDA scales to.
        var current = Math.Max(currentReplicas, 1);
        var ratio = (double)metric / (settings.QueueLength * current);
        var desired = Math.Abs(1.0 - ratio) > HpaTolerance
            ? (int)Math.Ceiling((double)metric / settings.QueueLength)
            : current;

        // 4. Bounds.
        return Math.Clamp(desired, Math.Max(settings.MinReplicas, 1), settings.MaxReplicas);
    }
}
