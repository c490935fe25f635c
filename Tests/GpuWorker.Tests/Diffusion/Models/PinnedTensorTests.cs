using Microsoft.ML.OnnxRuntime.Tensors;
using SdServerless.GpuWorker.Diffusion.Models;

namespace SdServerless.GpuWorker.Tests.Diffusion.Models;

/// <summary>A fractional timestep (Karras sigmas) reaches the UNet as its timestep input's type says.</summary>
public sealed class PinnedTensorTests
{
    [Theory]
    [InlineData(TensorElementType.Int64, 999.6f, 1000f)]
    [InlineData(TensorElementType.Int64, 999.4f, 999f)]
    [InlineData(TensorElementType.Int64, 500.5f, 500f)]
    [InlineData(TensorElementType.Int64, 501.5f, 502f)]
    [InlineData(TensorElementType.Int32, 0.7f, 1f)]
    [InlineData(TensorElementType.Float, 999.6f, 999.6f)]
    [InlineData(TensorElementType.Float16, 24.5f, 24.5f)]
    public void AFilledTimestepKeepsItsFractionOrIsRoundedHalfToEven(TensorElementType type, float timestep, float expected)
    {
        using var tensor = new PinnedTensor(type, [2]);
        tensor.Fill(timestep);
        var read = new float[2];
        tensor.Read(read);
        Assert.Equal([expected, expected], read);
    }

    [Fact]
    public void WritesCountInTheVersion()
    {
        using var tensor = new PinnedTensor(TensorElementType.Float, [2]);
        Assert.Equal(0, tensor.Version);
        tensor.Write([1f, 2f]);
        tensor.Fill(3f);
        Assert.Equal(2, tensor.Version);
    }
}
