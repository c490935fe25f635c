using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>One ONNX model file loaded into a session, with the metadata questions the wrappers ask of it.</summary>
public sealed class OnnxGraph : IDisposable
{
    private OnnxGraph(string path, InferenceSession session)
    {
        Path = path;
        Session = session;
    }

    public string Path { get; }

    public InferenceSession Session { get; }

    /// <summary>Loads <paramref name="path"/> from its path, so an external-data file beside it (<c>model.onnx_data</c>) resolves.</summary>
    public static OnnxGraph Load(string path, SessionOptions options)
    {
        using var ownedOptions = options;
        ModelFiles.Require(path);
        try
        {
            return new OnnxGraph(path, new InferenceSession(path, options));
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"Cannot load ONNX model {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Loads <paramref name="model"/>, a changed copy of the graph at <paramref name="path"/>; an external-data file is
    /// still read from beside <paramref name="path"/>.
    /// </summary>
    public static OnnxGraph Load(string path, byte[] model, SessionOptions options)
    {
        using var ownedOptions = options;
        options.AddSessionConfigEntry("session.model_external_initializers_file_folder_path", System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        try
        {
            return new OnnxGraph(path, new InferenceSession(model, options));
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"Cannot load ONNX model {path}: {e.Message}", e);
        }
    }

    public bool HasInput(string name) => Session.InputMetadata.ContainsKey(name);

    public NodeMetadata Input(string name) =>
        Session.InputMetadata.TryGetValue(name, out var metadata)
            ? metadata
            : throw new ModelLoadException($"{Path}: expected an input named '{name}', found: {string.Join(", ", Session.InputMetadata.Keys)}");

    /// <summary>The output named <paramref name="name"/>, else the graph's only output (exporters name outputs differently).</summary>
    public string OutputName(params string[] preferred) =>
        preferred.FirstOrDefault(Session.OutputMetadata.ContainsKey)
        ?? Session.OutputMetadata.Keys.FirstOrDefault()
        ?? throw new ModelLoadException($"{Path}: the graph has no outputs");

    public NodeMetadata Output(string name) => Session.OutputMetadata[name];

    /// <summary>The fixed size of dimension <paramref name="axis"/> of a tensor, or null when it is symbolic or absent.</summary>
    public static int? FixedDimension(NodeMetadata metadata, int axis) =>
        axis < metadata.Dimensions.Length && metadata.Dimensions[axis] > 0 ? metadata.Dimensions[axis] : null;

    public static TensorElementType RequireFloat(NodeMetadata metadata, string path, string name) =>
        metadata.ElementDataType is TensorElementType.Float or TensorElementType.Float16
            ? metadata.ElementDataType
            : throw new ModelLoadException($"{path}: '{name}' must be float or float16, it is {metadata.ElementDataType}");

    public void Dispose() => Session.Dispose();
}
