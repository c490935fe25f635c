using SdServerless.GpuWorker.Diffusion.Noise;
namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>
/// Fresh noise for an ancestral sampler's steps, the next step's drawn on a thread-pool thread while the caller runs the
/// UNet, so the draw (65,536 Box-Muller normals per image at 1024x1024) stays off the denoising loop's thread. The
/// values and their order are the same as drawing in place: a draw starts only after the previous one has been taken,
/// from the same generators. Reused across steps without allocating; not thread-safe for more than one caller, and
/// nothing else may draw from the same <see cref="LatentNoise"/> between two steps (the pipeline draws the initial
/// latents before the loop and nothing after it: the last step draws nothing ahead).
/// </summary>
public sealed class NoisePrefetch : IThreadPoolWorkItem
{
    private float[] current = [];
    private float[] ahead = [];
    private LatentNoise? aheadNoise;
    private bool pending;

    // A flag and a SpinWait (which yields, then sleeps): ManualResetEventSlim and SemaphoreSlim allocate the first time a wait blocks.
    private volatile bool drawing;
    private Exception? failure;

    /// <summary>
    /// This step's noise (<paramref name="length"/> values from <paramref name="noise"/>): the draw started by the
    /// previous call when there is one for the same noise, else drawn now. With <paramref name="drawAhead"/>, the next
    /// step's draw starts before this returns.
    /// </summary>
    public ReadOnlySpan<float> Take(LatentNoise noise, int length, bool drawAhead)
    {
        if (current.Length != length)
        {
            Wait();
            current = new float[length];
            ahead = new float[length];
        }

        var drewAhead = pending && ReferenceEquals(aheadNoise, noise);
        Wait();
        if (drewAhead)
        {
            (current, ahead) = (ahead, current);
        }
        else
        {
            // First step, or a new run's noise: what was drawn ahead from another run's generators is dropped.
            noise.Fill(current);
        }

        if (drawAhead)
        {
            aheadNoise = noise;
            pending = true;
            drawing = true;
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return current;
    }

    /// <summary>Draws the next step's noise (on the thread pool).</summary>
    public void Execute()
    {
        try
        {
            aheadNoise!.Fill(ahead);
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            drawing = false;
        }
    }

    private void Wait()
    {
        if (!pending)
        {
            return;
        }

        var spinner = default(SpinWait);
        while (drawing)
        {
            spinner.SpinOnce();
        }

        pending = false;
        if (failure is { } e)
        {
            failure = null;
            throw new InvalidOperationException("Drawing the next step's noise failed", e);
        }
    }
}
