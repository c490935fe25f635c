using System.Globalization;

namespace SdServerless.Infrastructure.Tests.Scaling;

/// <summary>The settings of a ScaledObject with one aws-sqs-queue trigger that decide its replica count.</summary>
public sealed record SqsScalerSettings(long QueueLength, long ActivationQueueLength, bool ScaleOnInFlight, bool ScaleOnDelayed, int MinReplicas, int MaxReplicas)
{
    public static SqsScalerSettings FromScaledObject(JsonObject scaledObject)
    {
        var spec = scaledObject["spec"]!;
        var trigger = Assert.Single(spec["triggers"]!.AsArray())!;
        Assert.Equal("aws-sqs-queue", (string?)trigger["type"]);
        var metadata = trigger["metadata"]!;
        string? Text(string key) => (string?)metadata[key];
        return new SqsScalerSettings(
            long.Parse(Text("queueLength") ?? "5", CultureInfo.InvariantCulture),
            long.Parse(Text("activationQueueLength") ?? "0", CultureInfo.InvariantCulture),
            bool.Parse(Text("scaleOnInFlight") ?? "true"),
            bool.Parse(Text("scaleOnDelayed") ?? "false"),
            (int)((long?)spec["minReplicaCount"] ?? 0),
            (int)((long?)spec["maxReplicaCount"] ?? 100));
    }
}
