using Onnx;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>
/// CLIP's <c>text_model.final_layer_norm</c>, which A1111 applies to the hidden state it takes for clip skip. An ONNX export
/// keeps it inside the graph (it is what turns the last layer into <c>last_hidden_state</c>), so its weight and bias are read
/// from the graph's initializers by their PyTorch names, and its epsilon from <c>config.json</c>'s <c>layer_norm_eps</c>.
/// </summary>
public sealed class FinalLayerNorm(float[] weight, float[] bias, float epsilon)
{
    public const string WeightName = "text_model.final_layer_norm.weight";
    public const string BiasName = "text_model.final_layer_norm.bias";
    private const int OnnxFloat = 1;
    private const int OnnxFloat16 = 10;

    public int Size => weight.Length;

    /// <summary>The layer norm of the text encoder at <paramref name="modelPath"/>; null, with the reason, when the export does not keep it by name.</summary>
    public static FinalLayerNorm? Read(string modelPath, out string? reason)
    {
        ModelProto model;
        using (var file = File.OpenRead(modelPath))
        {
            model = ModelProto.Parser.ParseFrom(file);
        }

        var initializers = model.Graph.Initializer.Where(tensor => tensor.Name is WeightName or BiasName).ToDictionary(tensor => tensor.Name);
        if (!initializers.TryGetValue(WeightName, out var weightTensor) || !initializers.TryGetValue(BiasName, out var biasTensor))
        {
            reason = $"{modelPath} does not keep the final layer norm's weights as '{WeightName}' and '{BiasName}'";
            return null;
        }

        var folder = Path.GetDirectoryName(modelPath)!;
        var epsilon = (float)ComponentConfig.Load(folder).Number("layer_norm_eps", 1e-5);
        reason = null;
        return new FinalLayerNorm(Values(weightTensor, folder), Values(biasTensor, folder), epsilon);
    }

    /// <summary>Normalizes each token's <see cref="Size"/> values in place: (x - mean) / sqrt(variance + eps) * weight + bias.</summary>
    public void Apply(Span<float> states)
    {
        for (var token = 0; token < states.Length / Size; token++)
        {
            var values = states.Slice(token * Size, Size);
            var mean = 0d;
            foreach (var value in values)
            {
                mean += value;
            }

            mean /= Size;
            var variance = 0d;
            foreach (var value in values)
            {
                variance += (value - mean) * (value - mean);
            }

            var scale = 1 / Math.Sqrt(variance / Size + epsilon);
            for (var i = 0; i < Size; i++)
            {
                values[i] = (float)((values[i] - mean) * scale * weight[i] + bias[i]);
            }
        }
    }

    private static float[] Values(TensorProto tensor, string folder)
    {
        var raw = tensor.DataLocation == TensorProto.Types.DataLocation.External
            ? ExternalBytes(tensor, folder)
            : tensor.RawData.ToByteArray();
        return tensor.DataType switch
        {
            OnnxFloat when raw.Length == 0 => [.. tensor.FloatData],
            OnnxFloat => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).ToArray(),
            OnnxFloat16 when raw.Length == 0 => tensor.Int32Data.Select(bits => (float)BitConverter.UInt16BitsToHalf((ushort)bits)).ToArray(),
            OnnxFloat16 => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(half => (float)half).ToArray(),
            _ => throw new ModelLoadException($"'{tensor.Name}' has element type {tensor.DataType}; float or float16 is supported"),
        };
    }

    private static byte[] ExternalBytes(TensorProto tensor, string folder)
    {
        var entries = tensor.ExternalData.ToDictionary(entry => entry.Key, entry => entry.Value);
        using var file = File.OpenRead(Path.Combine(folder, entries["location"]));
        var offset = entries.TryGetValue("offset", out var at) ? long.Parse(at, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var length = entries.TryGetValue("length", out var size) ? int.Parse(size, System.Globalization.CultureInfo.InvariantCulture) : (int)(file.Length - offset);
        var bytes = new byte[length];
        file.Position = offset;
        file.ReadExactly(bytes);
        return bytes;
    }
}
