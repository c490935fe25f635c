using System.Globalization;

namespace SdServerless.Infrastructure.Tests.Scaling;

/// <summary>
/// The settings of a ScaledObject that decide its replica count. Ours has one aws-sqs-queue trigger per priority queue
/// and a <c>scalingModifiers</c> formula summing them (docs/decisions/0336): KEDA then scales the sum as one metric,
/// so the sum's target and activation are those of a single queue holding every priority's messages.
/// </summary>
public sealed record SqsScalerSettings(long QueueLength, long ActivationQueueLength, bool ScaleOnInFlight, bool ScaleOnDelayed, int MinReplicas, int MaxReplicas)
{
    public static readonly string[] PriorityTriggers = ["high", "normal", "low"];

    public static SqsScalerSettings FromScaledObject(JsonObject scaledObject)
    {
        var spec = scaledObject["spec"]!;
        var triggers = spec["triggers"]!.AsArray().Select(t => t!).ToList();
        Assert.All(triggers, trigger => Assert.Equal("aws-sqs-queue", (string?)trigger["type"]));
        var byName = triggers.ToDictionary(t => (string)t["name"]!);
        Assert.All(PriorityTriggers, name => Assert.True(byName.ContainsKey(name), $"no '{name}' trigger"));
        var modifiers = spec["advanced"]!["scalingModifiers"]!;
        Assert.StartsWith("high + normal + ", (string?)modifiers["formula"]);
        string? Text(string name, string key) => (string?)byName[name]["metadata"]![key];
        Assert.All(PriorityTriggers, name => Assert.Equal(Text("normal", "scaleOnInFlight"), Text(name, "scaleOnInFlight")));
        return new SqsScalerSettings(
            long.Parse((string?)modifiers["target"] ?? "5", CultureInfo.InvariantCulture),
            long.Parse((string?)modifiers["activationTarget"] ?? "0", CultureInfo.InvariantCulture),
            bool.Parse(Text("normal", "scaleOnInFlight") ?? "true"),
            bool.Parse(Text("normal", "scaleOnDelayed") ?? "false"),
            (int)((long?)spec["minReplicaCount"] ?? 0),
            (int)((long?)spec["maxReplicaCount"] ?? 100));
    }
}
