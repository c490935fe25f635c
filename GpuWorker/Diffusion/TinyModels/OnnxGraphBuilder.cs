using Google.Protobuf;
using Onnx;

namespace SdServerless.GpuWorker.Diffusion.TinyModels;

/// <summary>Builds a small ONNX graph (opset 17) node by node and writes it as <c>model.onnx</c>.</summary>
public sealed class OnnxGraphBuilder(string name)
{
    public const int OnnxFloat = 1;
    public const int OnnxInt32 = 6;
    public const int OnnxInt64 = 7;
    public const int OnnxFloat16 = 10;

    private readonly GraphProto graph = new() { Name = name };
    private int counter;

    /// <summary>Declares a graph input; a dimension is a number or a symbolic name such as <c>"batch"</c>.</summary>
    public string Input(string inputName, int elementType, params object[] dims)
    {
        graph.Input.Add(ValueInfo(inputName, elementType, dims));
        return inputName;
    }

    public void Output(string outputName, int elementType, params object[] dims) =>
        graph.Output.Add(ValueInfo(outputName, elementType, dims));

    /// <summary>A float initializer; values are drawn from <paramref name="random"/> as N(mean, std) unless given.</summary>
    public string Weight(long[] dims, GaussianWeights random, float std, float mean = 0f)
    {
        var tensor = new TensorProto { Name = $"w{counter++}", DataType = OnnxFloat };
        tensor.Dims.AddRange(dims);
        var count = dims.Aggregate(1L, (a, b) => a * b);
        for (var i = 0; i < count; i++)
        {
            tensor.FloatData.Add(mean + std * random.Next());
        }

        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A float initializer with the given name and values (as an exporter names a module's parameters).</summary>
    public string NamedWeight(string weightName, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = weightName, DataType = OnnxFloat };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string FloatConstant(params float[] values)
    {
        var tensor = new TensorProto { Name = $"c{counter++}", DataType = OnnxFloat };
        tensor.Dims.Add(values.Length);
        tensor.FloatData.AddRange(values);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Int64Constant(params long[] values)
    {
        var tensor = new TensorProto { Name = $"c{counter++}", DataType = OnnxInt64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node and returns its (single) output's name, or <paramref name="outputName"/> when given.</summary>
    public string Node(string opType, string[] inputs, string? outputName = null, params AttributeProto[] attributes)
    {
        var output = outputName ?? $"{opType.ToLowerInvariant()}_{counter++}";
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{counter++}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    public static AttributeProto IntAttribute(string attributeName, long value) =>
        new() { Name = attributeName, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto IntsAttribute(string attributeName, params long[] values)
    {
        var attribute = new AttributeProto { Name = attributeName, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto StringAttribute(string attributeName, string value) =>
        new() { Name = attributeName, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>Casts to <paramref name="elementType"/> when it differs from <paramref name="fromType"/>.</summary>
    public string CastIfNeeded(string input, int fromType, int elementType, string? outputName = null) =>
        fromType == elementType && outputName is null
            ? input
            : Node("Cast", [input], outputName, IntAttribute("to", elementType));

    /// <summary>
    /// Writes the graph; with <paramref name="externalData"/> every float initializer's values go to
    /// <c>model.onnx_data</c> beside it, 64-byte aligned, as exports over protobuf's 2 GB limit are written.
    /// </summary>
    public void Save(string path, bool externalData = false)
    {
        if (externalData)
        {
            MoveWeightsToExternalData(path);
        }

        var model = new ModelProto { IrVersion = 8, ProducerName = "SdServerless.TinyModels", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        using var file = File.Create(path);
        model.WriteTo(file);
    }

    private void MoveWeightsToExternalData(string path)
    {
        const string dataName = "model.onnx_data";
        using var data = File.Create(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, dataName));
        foreach (var tensor in graph.Initializer.Where(t => t.DataType == OnnxFloat && t.FloatData.Count > 0))
        {
            var bytes = new byte[tensor.FloatData.Count * sizeof(float)];
            for (var i = 0; i < tensor.FloatData.Count; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), tensor.FloatData[i]);
            }

            data.Write(new byte[(64 - (data.Position % 64)) % 64]);
            var offset = data.Position;
            data.Write(bytes);
            tensor.FloatData.Clear();
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = dataName });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
    }

    private static ValueInfoProto ValueInfo(string valueName, int elementType, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) });
        }

        return new ValueInfoProto
        {
            Name = valueName,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }
}
