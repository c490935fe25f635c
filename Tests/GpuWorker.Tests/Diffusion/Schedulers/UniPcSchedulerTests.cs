using System.Text.Json;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Diffusion.Sampling;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Schedulers.UniPc;
using Xunit.Abstractions;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

/// <summary>
/// A1111's UniPC against the <c>unipc</c> runs of <c>Fixtures/k_samplers.json</c> (<c>tools/reference-fixtures/k_samplers.py</c>
/// transcribes A1111's <c>uni_pc.py</c> and its <c>unipc</c> wiring in float32 torch): a toy epsilon model of the
/// UNet's input and timestep, compared at every model call (timestep and input) and at the end, text-to-image and
/// image-to-image, driven as the pipeline drives a scheduler.
/// </summary>
public sealed class UniPcSchedulerTests(ITestOutputHelper output)
{
    private static readonly JsonElement Fixture = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Diffusion", "Schedulers", "Fixtures", "k_samplers.json"))).RootElement;

    /// <summary>Largest absolute difference allowed in x (VP samples of a few units, float32 throughout).</summary>
    private const double Tolerance = 1e-4;

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Fixture.GetProperty("unipc").GetArrayLength())];

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachModelCallAndTheResultMatchA1111s(int index)
    {
        var reference = Fixture.GetProperty("unipc")[index];
        var steps = reference.GetProperty("steps").GetInt32();
        var strength = reference.GetProperty("strength");
        var data = Floats(Fixture.GetProperty("data"));
        var start = Floats(Fixture.GetProperty("start"));
        var scheduler = Assert.IsType<UniPcScheduler>(SchedulerFactory.Create(SamplerSchedule.Resolve("UniPC", null), SchedulerConfig.StableDiffusion1));
        scheduler.SetTimesteps(steps);

        // text-to-image starts from the noise; image-to-image noises the data to the start, as the pipeline does
        float[] sample;
        var startIndex = 0;
        if (strength.ValueKind == JsonValueKind.Null)
        {
            sample = start.Select(value => value * scheduler.InitNoiseSigma).ToArray();
        }
        else
        {
            sample = [.. data];
            startIndex = StableDiffusionPipeline.StartIndex(steps, strength.GetDouble());
            scheduler.AddNoise(sample, start, startIndex);
        }

        var noise = new LatentNoise([new NoStepNoise()], sample.Length);
        Assert.Equal(0, scheduler.Begin(startIndex, noise));
        var largest = LargestDifference(Floats(reference.GetProperty("start")), sample);
        var calls = reference.GetProperty("calls");
        Assert.Equal(calls.GetArrayLength(), scheduler.Timesteps.Count);
        var input = new float[sample.Length];
        var eps = new float[sample.Length];
        for (var k = 0; k < scheduler.Timesteps.Count; k++)
        {
            var t = scheduler.Timesteps[k];
            Assert.Equal(calls[k].GetProperty("timestep").GetDouble(), t, 1e-3);
            scheduler.ScaleModelInput(sample, input, k);
            largest = Math.Max(largest, LargestDifference(Floats(calls[k].GetProperty("x")), input));
            for (var i = 0; i < input.Length; i++)
            {
                eps[i] = input[i] * (0.2f + t / 1500) - data[i] * (0.4f - t / 3000);
            }

            scheduler.Step(eps, k, sample, noise);
        }

        largest = Math.Max(largest, LargestDifference(Floats(reference.GetProperty("final")), sample));
        output.WriteLine($"UniPC {steps} steps, strength {strength}: largest |difference| {largest:E2} over {calls.GetArrayLength()} calls and the result");
        Assert.True(largest <= Tolerance, $"UniPC: largest difference {largest}");
    }

    [Fact]
    public void RunsAsManyStepsAsA1111sTimestepList()
    {
        foreach (var step in Fixture.GetProperty("unipc_steps").EnumerateObject())
        {
            var steps = int.Parse(step.Name, System.Globalization.CultureInfo.InvariantCulture);
            var scheduler = new UniPcScheduler(SchedulerConfig.StableDiffusion1);
            scheduler.SetTimesteps(steps);
            Assert.Equal(step.Value.GetInt32(), scheduler.Timesteps.Count);
            Assert.Equal(step.Value.GetInt32(), UniPcScheduler.A1111Steps(steps));
        }
    }

    private static double LargestDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
    }

    private static float[] Floats(JsonElement values) => [.. values.EnumerateArray().Select(value => value.GetSingle())];

    /// <summary>UniPC draws no noise after the start; a draw would fail the test.</summary>
    private sealed class NoStepNoise : INormalSource
    {
        public void Fill(Span<float> destination) => throw new InvalidOperationException("UniPC drew step noise");
    }
}
