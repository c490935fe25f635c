using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Noise;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

/// <summary>Noise drawn ahead on the thread pool is exactly the noise drawn in place, step by step.</summary>
public sealed class NoisePrefetchTests
{
    [Fact]
    public void DrawingAheadGivesTheSameValuesInTheSameOrderAsDrawingInPlace()
    {
        const int perImage = 4 * 16 * 16;
        var inPlace = new LatentNoise([7L, 8L], perImage);
        var drawnAhead = new LatentNoise([7L, 8L], perImage);
        var prefetch = new NoisePrefetch();
        var expected = new float[2 * perImage];
        for (var step = 0; step < 6; step++)
        {
            inPlace.Fill(expected);
            var actual = prefetch.Take(drawnAhead, expected.Length, drawAhead: step < 5).ToArray();
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void ANewRunsNoiseIsDrawnFromItsOwnGeneratorsNotFromWhatWasDrawnAhead()
    {
        const int length = 64;
        var prefetch = new NoisePrefetch();
        prefetch.Take(new LatentNoise([1L], length), length, drawAhead: true);
        var expected = new float[length];
        new LatentNoise([2L], length).Fill(expected);
        Assert.Equal(expected, prefetch.Take(new LatentNoise([2L], length), length, drawAhead: false).ToArray());
    }

    [Fact]
    public void WaitingForTheDrawAheadAllocatesNothing()
    {
        // Back-to-back takes of a large draw: every take after the first waits for the thread pool, the path a fast UNet
        // run takes; as in the pipeline's count, only the first take (which allocates the buffers) is left out.
        const int length = 4 * 128 * 128;
        var noise = new LatentNoise([3L], length);
        var prefetch = new NoisePrefetch();
        prefetch.Take(noise, length, drawAhead: true);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 10; step++)
        {
            prefetch.Take(noise, length, drawAhead: step < 9);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
