using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// VAE encoder: <c>sample</c> <c>[1, 3, H, W]</c> in [-1, 1] -> <c>latent_sample</c> <c>[1, channels, H / scale, W / scale]</c>,
/// or <c>latent_parameters</c> with twice the channels (mean, then log-variance), of which the mean is used.
/// </summary>
public sealed class VaeEncoder : IDisposable
{
    private readonly OnnxGraph graph;
    private readonly TensorElementType inputType;
    private readonly TensorElementType outputType;
    private readonly string outputName;
    private readonly bool outputsParameters;

    public VaeEncoder(OnnxGraph graph, int scaleFactor)
    {
        this.graph = graph;
        inputType = OnnxGraph.RequireFloat(graph.Input("sample"), graph.Path, "sample");
        outputName = graph.OutputName("latent_sample", "latent_parameters");
        outputsParameters = outputName == "latent_parameters";
        outputType = OnnxGraph.RequireFloat(graph.Output(outputName), graph.Path, outputName);
        ScaleFactor = scaleFactor;
    }

    public int ScaleFactor { get; }

    /// <summary>Encodes one image (CHW floats in [-1, 1]) into <paramref name="latents"/> (<c>channels * H/scale * W/scale</c>).</summary>
    public void Run(ReadOnlySpan<float> pixels, int height, int width, int channels, Span<float> latents, RunOptions options)
    {
        var latentHeight = height / ScaleFactor;
        var latentWidth = width / ScaleFactor;
        var outputChannels = outputsParameters ? 2 * channels : channels;
        using var run = new BoundRun(graph);
        var input = run.Input("sample", inputType, [1, 3, height, width]);
        var output = run.Output(outputName, outputType, [1, outputChannels, latentHeight, latentWidth]);
        input.Write(pixels);
        run.Run(options);
        if (outputsParameters)
        {
            var parameters = new float[output.Length];
            output.Read(parameters);
            parameters.AsSpan(0, latents.Length).CopyTo(latents);
        }
        else
        {
            output.Read(latents);
        }
    }

    public void Dispose() => graph.Dispose();
}
