using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Tests.Diffusion.Pipeline;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;

namespace SdServerless.GpuWorker.Tests.Diffusion.Models;

/// <summary>
/// Every run of every graph sees the values written last: each input is bound after its last write and before the run.
/// On CUDA ONNX Runtime copies a host input to the device when it is bound, so an input written after binding and run
/// without a new binding would feed the graph the previous values; the CPU reads in place and cannot show it, so the
/// order is checked on what <see cref="BoundRun"/> reports of each run.
/// </summary>
public sealed class BoundRunOrderTests(TinyModelFixture sd, SdxlModelFixture sdxl) : IClassFixture<TinyModelFixture>, IClassFixture<SdxlModelFixture>
{
    [Fact]
    public void EveryInputOfEveryGraphIsBoundAfterItsLastWrite()
    {
        var feeds = new List<BoundRunFeed>();
        foreach (var fixture in new TinyModelFixture[] { sd, sdxl })
        {
            using var recorder = new BoundRunFeedRecorder(fixture.Root);
            var pipeline = fixture.Pipeline;
            var init = pipeline.Run(Request(steps: 3, batch: 2), null, CancellationToken.None).Images[0].Png;
            pipeline.Run(Request(prompt: "a painting of a dog", steps: 3, batch: 2, seed: 7), null, CancellationToken.None);
            pipeline.Run(Request(prompt: "a photo of a cat", steps: 4, init: init, strength: 0.75), null, CancellationToken.None);
            pipeline.Run(Request(prompt: "a watercolour of a bird", steps: 4, init: init, strength: 0.5, seed: 9), null, CancellationToken.None);
            feeds.AddRange(recorder.Feeds);
        }

        var stale = feeds
            .SelectMany(feed => feed.Inputs.Select(input => (Graph: Describe(feed.GraphPath), Input: input)))
            .GroupBy(run => (run.Graph, run.Input.Name))
            .Where(runs => runs.Any(run => !run.Input.Fresh))
            .Select(runs => $"{runs.Key.Graph} '{runs.Key.Name}': {runs.Count(run => !run.Input.Fresh)} of {runs.Count()} runs stale, e.g. written {runs.First(run => !run.Input.Fresh).Input.Written} times, bound at write {runs.First(run => !run.Input.Fresh).Input.Bound}")
            .ToList();
        Assert.True(stale.Count == 0, $"Runs fed values older than the last written:\n{string.Join("\n", stale)}");

        string[] graphs = ["unet", "text_encoder", "text_encoder_2", "vae_encoder", "vae_decoder"];
        var seen = feeds.Select(feed => Relative(feed.GraphPath)).ToHashSet();
        Assert.All(graphs, graph => Assert.Contains(graph, seen));
        var sdxlUnetInputs = feeds
            .Where(feed => feed.GraphPath.StartsWith(sdxl.Root, StringComparison.Ordinal) && Relative(feed.GraphPath) == "unet")
            .SelectMany(feed => feed.Inputs.Select(input => input.Name))
            .ToHashSet();
        Assert.Superset(new HashSet<string> { "sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids" }, sdxlUnetInputs);
    }

    /// <summary>The model and graph folder: <c>default/unet</c>, <c>tiny-sdxl/text_encoder_2</c>, ...</summary>
    private static string Describe(string graphPath) => $"{Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(graphPath)))}/{Relative(graphPath)}";

    /// <summary>The graph's folder: <c>unet</c>, <c>text_encoder_2</c>, ...</summary>
    private static string Relative(string graphPath) => Path.GetFileName(Path.GetDirectoryName(graphPath)!);
}
