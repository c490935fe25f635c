using Google.Protobuf;
using Onnx;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// Loads a VAE encoder so that it outputs its distribution's mean. Older exports (optimum before
/// <c>latent_parameters</c>, diffusers' conversion script) draw <c>latent_sample</c> = mean + std * ε inside the graph,
/// with a <c>RandomNormalLike</c> that no seed reaches, so every run gave another image for the same seed. Each such
/// node is replaced by zeros of its input's shape (<c>Sub(x, x)</c>), which leaves the mean, as the engine takes it
/// from <c>latent_parameters</c> exports (decision 0413).
/// </summary>
public static class VaeEncoderGraph
{
    private const string Draw = "RandomNormalLike";

    public static OnnxGraph Load(string path, SessionOptions options)
    {
        ModelProto model;
        try
        {
            ModelFiles.Require(path);
            using var file = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(file);
        }
        catch (Exception e)
        {
            options.Dispose();
            throw e is InvalidProtocolBufferException ? new ModelLoadException($"Cannot read ONNX model {path}: {e.Message}", e) : e;
        }

        var nodes = model.Graph.Node;
        var draws = nodes.Where(node => node.OpType == Draw && node.Domain is "" or "ai.onnx").ToList();
        if (draws.Count == 0)
        {
            return OnnxGraph.Load(path, options);
        }

        foreach (var node in draws)
        {
            var input = node.Input[0];
            var dtype = node.Attribute.FirstOrDefault(attribute => attribute.Name == "dtype");
            node.OpType = "Sub";
            node.Attribute.Clear();
            node.Input.Clear();
            node.Input.Add(input);
            node.Input.Add(input);
            if (dtype is not null)
            {
                // The draw had its own element type: zeros of the input's type, cast to it.
                var output = node.Output[0];
                var zeros = $"{output}_zeros";
                node.Output[0] = zeros;
                var cast = new NodeProto { OpType = "Cast", Name = $"{node.Name}_cast" };
                cast.Input.Add(zeros);
                cast.Output.Add(output);
                cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = dtype.I });
                nodes.Insert(nodes.IndexOf(node) + 1, cast);
            }
        }

        return OnnxGraph.Load(path, model.ToByteArray(), options);
    }
}
