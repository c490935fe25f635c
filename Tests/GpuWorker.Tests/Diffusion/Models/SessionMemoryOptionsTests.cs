using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using SdServerless.GpuWorker.Diffusion.Models;

namespace SdServerless.GpuWorker.Tests.Diffusion.Models;

/// <summary>The session settings that set peak memory on the CPU (decision 0417).</summary>
public sealed class SessionMemoryOptionsTests
{
    [Fact]
    public void CpuSessionsLeaveOutTheLayoutTransform()
    {
        using var options = Providers(new DiffusionOptions { ExecutionProvider = "cpu" }).Create();
        Assert.Equal(GraphOptimizationLevel.ORT_ENABLE_EXTENDED, options.GraphOptimizationLevel);
        Assert.True(options.EnableCpuMemArena);
        Assert.True(options.EnableMemoryPattern);
    }

    [Fact]
    public void ConfiguredSettingsReachTheSession()
    {
        using var options = Providers(new DiffusionOptions
        {
            ExecutionProvider = "cpu",
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            CpuMemoryArena = false,
            MemoryPattern = false,
        }).Create();
        Assert.Equal(GraphOptimizationLevel.ORT_ENABLE_ALL, options.GraphOptimizationLevel);
        Assert.False(options.EnableCpuMemArena);
        Assert.False(options.EnableMemoryPattern);
    }

    [Theory]
    [InlineData("width=640", 640)]
    [InlineData("", 0)]
    public void TheUnetWidthIsParsed(string variant, int width) =>
        Assert.Equal(width, SdServerless.GpuWorker.Diffusion.TinyModels.TinyModelVariant.Parse(variant).UnetWidth);

    private static ExecutionProviders Providers(DiffusionOptions options) => new(options, NullLogger.Instance);
}
