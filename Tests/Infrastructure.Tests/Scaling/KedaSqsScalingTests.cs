using SdServerless.Infrastructure.Tests.Manifests;

namespace SdServerless.Infrastructure.Tests.Scaling;

/// <summary>Queue depth and in-flight counts give the replica counts KEDA computes with the rendered ScaledObject.</summary>
public sealed class KedaSqsScalingTests(InfraTools tools) : IClassFixture<InfraTools>
{
    private async Task<SqsScalerSettings> OurSettingsAsync()
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        return SqsScalerSettings.FromScaledObject(rendered.Single("ScaledObject", "gpu-worker-sdruntime"));
    }

    [Fact]
    public async Task OurScaledObjectScalesFromZeroOnAnyMessageAndCountsInFlightMessages()
    {
        var settings = await OurSettingsAsync();

        Assert.Equal(new SqsScalerSettings(QueueLength: 2, ActivationQueueLength: 0, ScaleOnInFlight: true, ScaleOnDelayed: false, MinReplicas: 0, MaxReplicas: 4), settings);
    }

    [Theory]
    [InlineData(0, 0, 0, 0)] // idle: scaled to zero
    [InlineData(0, 0, 3, 0)] // queue drained and nothing in flight: back to zero after the cooldown
    [InlineData(1, 0, 0, 1)] // one message wakes one GPU
    [InlineData(2, 0, 0, 1)] // two messages per replica
    [InlineData(3, 0, 0, 2)]
    [InlineData(0, 1, 1, 1)] // a task still running keeps its worker
    [InlineData(5, 2, 1, 4)] // 7 messages / 2 per replica = 3.5 -> 4
    [InlineData(3, 3, 2, 3)] // ratio 6 / (2 x 2) = 1.5 -> ceil(6 / 2) = 3
    [InlineData(500, 4, 4, 4)] // a backlog is capped at maxReplicaCount
    public async Task DesiredReplicasWithOurSettings(long visible, long inFlight, int current, int expected)
    {
        var settings = await OurSettingsAsync();

        Assert.Equal(expected, KedaSqsScaling.DesiredReplicas(settings, visible, inFlight, current));
    }

    [Fact]
    public async Task TheHpaToleranceKeepsTheCountWhenTheRatioIsWithinTenPercent()
    {
        var settings = await OurSettingsAsync() with { MaxReplicas = 12 };

        // 21 messages on 10 replicas: ratio 21 / 20 = 1.05, within tolerance, so 10 stay (ceil would say 11).
        Assert.Equal(10, KedaSqsScaling.DesiredReplicas(settings, visible: 15, inFlight: 6, currentReplicas: 10));
        // 25 messages: ratio 1.25, so ceil(25 / 2) = 13, capped at 12.
        Assert.Equal(12, KedaSqsScaling.DesiredReplicas(settings, visible: 19, inFlight: 6, currentReplicas: 10));
    }

    [Fact]
    public async Task ActivationThresholdAndInFlightSwitchChangeTheResult()
    {
        var settings = await OurSettingsAsync() with { ActivationQueueLength = 3 };

        Assert.Equal(0, KedaSqsScaling.DesiredReplicas(settings, visible: 3, inFlight: 0, currentReplicas: 0));
        Assert.Equal(2, KedaSqsScaling.DesiredReplicas(settings, visible: 4, inFlight: 0, currentReplicas: 0));
        Assert.Equal(0, KedaSqsScaling.DesiredReplicas(settings with { ActivationQueueLength = 0, ScaleOnInFlight = false }, visible: 0, inFlight: 2, currentReplicas: 1));
    }
}
