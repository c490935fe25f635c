using SdServerless.Infrastructure.Tests.Manifests;

namespace SdServerless.Infrastructure.Tests.Scaling;

/// <summary>A runtime's gpu.scaling in the catalogue sets its ScaledObject; without one, the stack's defaults apply.</summary>
public sealed class PerRuntimeScalingTests(InfraTools tools) : IClassFixture<InfraTools>
{
    [Theory]
    [InlineData("sdruntime", 2, 0, 4)] // no gpu.scaling: QueueLengthTarget, ActivationQueueLength, MaxReplicasPerRuntime of the stack
    [InlineData("sdwebui", 3, 0, 6)]
    [InlineData("comfyui", 1, 1, 2)]
    public async Task EachRuntimeScalesWithItsOwnSettings(string runtime, long queueLength, long activation, int maxReplicas)
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);

        var settings = SqsScalerSettings.FromScaledObject(rendered.Single("ScaledObject", $"gpu-worker-{runtime}"));

        Assert.Equal(new SqsScalerSettings(queueLength, activation, ScaleOnInFlight: true, ScaleOnDelayed: false, MinReplicas: 0, MaxReplicas: maxReplicas), settings);
    }

    [Fact]
    public async Task AnActivationThresholdKeepsASingleMessageFromStartingAGpu()
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        var comfy = SqsScalerSettings.FromScaledObject(rendered.Single("ScaledObject", "gpu-worker-comfyui"));

        Assert.Equal(0, KedaSqsScaling.DesiredReplicas(comfy, visible: 1, inFlight: 0, currentReplicas: 0));
        Assert.Equal(2, KedaSqsScaling.DesiredReplicas(comfy, visible: 2, inFlight: 0, currentReplicas: 0));
    }

    [Fact]
    public async Task TheStackDefaultsApplyWhenTheCatalogueSetsNoScaling()
    {
        using var edit = new CatalogueEdit();
        edit.Runtime("sdwebui")["gpu"]!.AsObject().Remove("scaling");
        edit.Settings["maxReplicas"] = "9";
        using var rendered = await RenderedManifests.RenderAsync(tools, edit.Write());

        var settings = SqsScalerSettings.FromScaledObject(rendered.Single("ScaledObject", "gpu-worker-sdwebui"));

        Assert.Equal((2L, 0L, 9), (settings.QueueLength, settings.ActivationQueueLength, settings.MaxReplicas));
    }

    [Fact]
    public async Task EachPriorityQueueIsATriggerAndTheirSumScales()
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        var spec = rendered.Single("ScaledObject", "gpu-worker-sdruntime")["spec"]!;

        Assert.Equal("high + normal + low", (string?)spec["advanced"]!["scalingModifiers"]!["formula"]);
        var queues = spec["triggers"]!.AsArray().Select(t => ((string)t!["name"]!, (string)t["metadata"]!["queueURL"]!)).ToList();
        Assert.Equal(["high", "normal", "low"], queues.Select(q => q.Item1));
        Assert.EndsWith("-sdruntime-high", queues[0].Item2);
        Assert.EndsWith("-sdruntime", queues[1].Item2);
        Assert.EndsWith("-sdruntime-low", queues[2].Item2);
    }

    [Fact]
    public async Task WithoutWakeOnLowLowTasksCountOnlyWhileSomeAreInFlight()
    {
        using var edit = new CatalogueEdit();
        edit.Runtime("sdwebui")["gpu"]!["scaling"]!.AsObject()["wakeOnLow"] = false;
        using var rendered = await RenderedManifests.RenderAsync(tools, edit.Write());
        var spec = rendered.Single("ScaledObject", "gpu-worker-sdwebui")["spec"]!;

        Assert.Equal("high + normal + (low > lowwaiting ? low : 0)", (string?)spec["advanced"]!["scalingModifiers"]!["formula"]);
        var waiting = Assert.Single(spec["triggers"]!.AsArray(), t => (string?)t!["name"] == "lowwaiting")!;
        Assert.Equal("false", (string?)waiting["metadata"]!["scaleOnInFlight"]);
        Assert.EndsWith("-sdwebui-low", (string?)waiting["metadata"]!["queueURL"]);
    }
}
