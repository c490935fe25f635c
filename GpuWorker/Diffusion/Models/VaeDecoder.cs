using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>VAE decoder: <c>latent_sample</c> <c>[1, channels, h, w]</c> -> <c>sample</c> <c>[1, 3, h * scale, w * scale]</c> in [-1, 1].</summary>
public sealed class VaeDecoder : IDisposable
{
    private readonly OnnxGraph graph;
    private readonly TensorElementType inputType;
    private readonly TensorElementType outputType;
    private readonly string outputName;
    private BoundRun? run;
    private PinnedTensor? input;
    private PinnedTensor? output;

    public VaeDecoder(OnnxGraph graph, int scaleFactor)
    {
        this.graph = graph;
        inputType = OnnxGraph.RequireFloat(graph.Input("latent_sample"), graph.Path, "latent_sample");
        outputName = graph.OutputName("sample");
        outputType = OnnxGraph.RequireFloat(graph.Output(outputName), graph.Path, outputName);
        ScaleFactor = scaleFactor;
    }

    public int ScaleFactor { get; }

    /// <summary>True when the decoder takes float16 latents (a float16 export).</summary>
    public bool IsFloat16 => inputType == TensorElementType.Float16;

    /// <summary>Decodes one image's latents (already divided by the scaling factor) into <paramref name="pixels"/> (CHW).</summary>
    public void Run(ReadOnlySpan<float> latents, int channels, int latentHeight, int latentWidth, Span<float> pixels, RunOptions options)
    {
        long[] shape = [1, channels, latentHeight, latentWidth];
        if (run is null || !input!.HasShape(shape))
        {
            run?.Dispose();
            run = new BoundRun(graph);
            input = run.Input("latent_sample", inputType, shape);
            output = run.Output(outputName, outputType, [1, 3, latentHeight * ScaleFactor, latentWidth * ScaleFactor]);
        }

        input.Write(latents);
        run.Run(options);
        output!.Read(pixels);
    }

    public void Dispose()
    {
        run?.Dispose();
        graph.Dispose();
    }
}
