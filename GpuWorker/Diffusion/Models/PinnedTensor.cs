using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// A tensor of the element type a graph declares (float, float16, int32 or int64) over an array on the pinned object
/// heap, wrapped once in an <see cref="OrtValue"/> and reused across runs. Values go in and out as float (or int for ids),
/// converted in place, so the denoising loop allocates no tensors. Every write counts in <see cref="Version"/>,
/// which <see cref="BoundRun"/> reads to bind the input again before the next run.
/// </summary>
public sealed class PinnedTensor : IDisposable
{
    private readonly float[]? floats;
    private readonly ushort[]? halves;
    private readonly int[]? ints;
    private readonly long[]? longs;

    public PinnedTensor(TensorElementType elementType, long[] shape)
    {
        ElementType = elementType;
        Shape = shape;
        Length = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        Array array;
        int elementSize;
        switch (elementType)
        {
            case TensorElementType.Float:
                array = floats = GC.AllocateArray<float>(Length, pinned: true);
                elementSize = sizeof(float);
                break;
            case TensorElementType.Float16:
                array = halves = GC.AllocateArray<ushort>(Length, pinned: true);
                elementSize = sizeof(ushort);
                break;
            case TensorElementType.Int32:
                array = ints = GC.AllocateArray<int>(Length, pinned: true);
                elementSize = sizeof(int);
                break;
            case TensorElementType.Int64:
                array = longs = GC.AllocateArray<long>(Length, pinned: true);
                elementSize = sizeof(long);
                break;
            default:
                throw new NotSupportedException($"Tensor element type {elementType} is not supported (float, float16, int32, int64)");
        }

        Value = OrtValue.CreateTensorValueWithData(
            OrtMemoryInfo.DefaultInstance, elementType, shape, Marshal.UnsafeAddrOfPinnedArrayElement(array, 0), (long)Length * elementSize);
    }

    public TensorElementType ElementType { get; }

    public long[] Shape { get; }

    public int Length { get; }

    public OrtValue Value { get; }

    /// <summary>How many times values were written in (<see cref="Write"/>, <see cref="Fill"/>, <see cref="WriteIds"/>): the only ways in, so a binding can tell whether it has seen the latest values.</summary>
    public int Version { get; private set; }

    public bool HasShape(ReadOnlySpan<long> shape) => shape.SequenceEqual(Shape);

    /// <summary>Copies <paramref name="values"/> in, converting to the element type (integer types round half to even, as NumPy's <c>round</c> does).</summary>
    public void Write(ReadOnlySpan<float> values)
    {
        CheckLength(values.Length);
        Version++;
        switch (ElementType)
        {
            case TensorElementType.Float:
                values.CopyTo(floats);
                break;
            case TensorElementType.Float16:
                for (var i = 0; i < values.Length; i++)
                {
                    halves![i] = BitConverter.HalfToUInt16Bits((Half)values[i]);
                }

                break;
            case TensorElementType.Int32:
                for (var i = 0; i < values.Length; i++)
                {
                    ints![i] = (int)Math.Round(values[i], MidpointRounding.ToEven);
                }

                break;
            default:
                for (var i = 0; i < values.Length; i++)
                {
                    longs![i] = (long)Math.Round(values[i], MidpointRounding.ToEven);
                }

                break;
        }
    }

    /// <summary>
    /// Sets every element to <paramref name="value"/> (a timestep for the whole batch): a float tensor keeps the fraction
    /// (Karras sigmas fall between whole timesteps), an integer one gets it rounded half to even, as diffusers rounds
    /// such timesteps (<c>np.round</c>) before an integer UNet sees them, not truncated.
    /// </summary>
    public void Fill(float value)
    {
        Version++;
        switch (ElementType)
        {
            case TensorElementType.Float:
                Array.Fill(floats!, value);
                break;
            case TensorElementType.Float16:
                Array.Fill(halves!, BitConverter.HalfToUInt16Bits((Half)value));
                break;
            case TensorElementType.Int32:
                Array.Fill(ints!, (int)Math.Round(value, MidpointRounding.ToEven));
                break;
            default:
                Array.Fill(longs!, (long)Math.Round(value, MidpointRounding.ToEven));
                break;
        }
    }

    /// <summary>Token ids in: exact for int32 and int64 tensors.</summary>
    public void WriteIds(ReadOnlySpan<int> ids)
    {
        CheckLength(ids.Length);
        Version++;
        switch (ElementType)
        {
            case TensorElementType.Int32:
                ids.CopyTo(ints);
                break;
            case TensorElementType.Int64:
                for (var i = 0; i < ids.Length; i++)
                {
                    longs![i] = ids[i];
                }

                break;
            default:
                throw new InvalidOperationException($"Token ids need an int32 or int64 tensor, this one holds {ElementType}");
        }
    }

    /// <summary>Copies the values out as float.</summary>
    public void Read(Span<float> destination)
    {
        CheckLength(destination.Length);
        switch (ElementType)
        {
            case TensorElementType.Float:
                floats.AsSpan().CopyTo(destination);
                break;
            case TensorElementType.Float16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BitConverter.UInt16BitsToHalf(halves![i]);
                }

                break;
            case TensorElementType.Int32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = ints![i];
                }

                break;
            default:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = longs![i];
                }

                break;
        }
    }

    public void Dispose() => Value.Dispose();

    private void CheckLength(int length)
    {
        if (length != Length)
        {
            throw new ArgumentException($"Tensor [{string.Join(", ", Shape)}] holds {Length} values, got {length}");
        }
    }
}
