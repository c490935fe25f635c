using System.Text.Json;
using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;
using Xunit.Abstractions;
using SdServerless.GpuWorker.Diffusion.Sampling;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

/// <summary>
/// The k-diffusion samplers and A1111's schedules against <c>Fixtures/k_samplers.json</c>, written by
/// <c>tools/reference-fixtures/k_samplers.py</c> from k-diffusion's sampler functions in float32 torch: the same toy
/// denoiser and fixed noise, compared at every model call (its input x and sigma) and at the end. The loop is driven
/// as the pipeline drives it: scaled input to the "UNet", which answers epsilon.
/// </summary>
public sealed class KSamplerFixtureTests(ITestOutputHelper output)
{
    private static readonly JsonElement Fixture = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Diffusion", "Schedulers", "Fixtures", "k_samplers.json"))).RootElement;

    /// <summary>Largest absolute difference allowed in x (values up to about 30 at sigma 14.6, float32 throughout).</summary>
    private const double Tolerance = 1e-4;

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Fixture.GetProperty("samplers").GetArrayLength())];

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachModelCallAndTheResultMatchKDiffusion(int index)
    {
        var reference = Fixture.GetProperty("samplers")[index];
        var name = reference.GetProperty("sampler").GetString()!;
        var settings = reference.GetProperty("settings");
        double Setting(string key, double fallback) => settings.TryGetProperty(key, out var value) ? value.GetDouble() : fallback;
        var options = new KSamplerOptions(Setting("eta", 1), Setting("s_noise", 1), Setting("s_churn", 0), Setting("s_tmin", 0), Setting("s_tmax", double.PositiveInfinity));
        var sigmas = Doubles(Fixture.GetProperty("sigmas"));
        var start = Floats(Fixture.GetProperty("start"));

        var scheduler = new KDiffusionScheduler(SchedulerConfig.StableDiffusion1, SchedulerFactory.CreateSampler(name, options), (_, _) => sigmas);
        scheduler.SetTimesteps(sigmas.Length - 1);
        var calls = reference.GetProperty("calls");
        var largest = Replay(scheduler, reference, start, (k, sigma) =>
            Assert.Equal(calls[k].GetProperty("sigma").GetDouble(), sigma, 1e-5 * Math.Max(1, sigma)));
        output.WriteLine($"{name} {settings.GetRawText()}: largest |difference| {largest:E2} over {calls.GetArrayLength()} calls and the result");
        Assert.True(largest <= Tolerance, $"{name}: largest difference {largest}");
    }

    public static TheoryData<int> LcmCases() => [.. Enumerable.Range(0, Fixture.GetProperty("lcm").GetArrayLength())];

    /// <summary>A1111's LCM as the factory builds it: its sigmas, each call's timestep and x, and the result.</summary>
    [Theory]
    [MemberData(nameof(LcmCases))]
    public void LcmMatchesA1111sAtEachModelCall(int index)
    {
        var reference = Fixture.GetProperty("lcm")[index];
        var expectedSigmas = Doubles(reference.GetProperty("sigmas"));
        var start = Floats(Fixture.GetProperty("start"));
        var scheduler = Assert.IsType<KDiffusionScheduler>(
            SchedulerFactory.Create(SamplerSchedule.Resolve("LCM", null), SchedulerConfig.StableDiffusion1));
        scheduler.SetTimesteps(expectedSigmas.Length - 1);
        var largestSigma = LargestDifference(expectedSigmas, [.. scheduler.Sigmas]);
        Assert.True(largestSigma <= 1e-5, $"LCM sigmas: largest difference {largestSigma}");

        var calls = reference.GetProperty("calls");
        var largest = Replay(scheduler, reference, start, (k, _) =>
            Assert.Equal(calls[k].GetProperty("timestep").GetDouble(), scheduler.Timesteps[k]));
        output.WriteLine($"LCM {expectedSigmas.Length - 1} steps: largest |difference| {largest:E2} over {calls.GetArrayLength()} calls and the result; sigmas {largestSigma:E2}");
        Assert.True(largest <= Tolerance, $"LCM: largest difference {largest}");
    }

    [Fact]
    public void EverySchedulesSigmasMatchA1111s()
    {
        var schedule = new KDiffusionSchedule(SchedulerConfig.StableDiffusion1);
        var report = new Dictionary<string, double>();
        foreach (var reference in Fixture.GetProperty("schedules").EnumerateArray())
        {
            var label = reference.GetProperty("schedule").GetString()!;
            var expected = Doubles(reference.GetProperty("sigmas"));
            var actual = SigmaSchedules.Compute(label, schedule, reference.GetProperty("steps").GetInt32());
            Assert.Equal(expected.Length, actual.Length);
            var largest = LargestDifference(expected, actual);
            report[label] = Math.Max(report.GetValueOrDefault(label), largest);
            Assert.True(largest <= 1e-5, $"{label} at {reference.GetProperty("steps")} steps: largest difference {largest}");
        }

        foreach (var (label, largest) in report)
        {
            output.WriteLine($"{label}: largest |difference| {largest:E2}");
        }
    }

    [Fact]
    public void TimestepsAreSigmaToTOfEachSigma()
    {
        var scheduler = new KDiffusionScheduler(SchedulerConfig.StableDiffusion1, new EulerSampler(KSamplerOptions.Default), (model, steps) => SigmaSchedules.Compute("Karras", model, steps));
        scheduler.SetTimesteps(6);
        var expected = Doubles(Fixture.GetProperty("sigmas_to_t"));
        Assert.True(LargestDifference(expected, [.. scheduler.Timesteps.Select(t => (double)t)]) <= 1e-3);
        Assert.Equal(999f, scheduler.Timesteps[0]);
    }

    [Fact]
    public void Dpm2DropsTheNextToLastSigmaAsA1111Does()
    {
        var actual = SchedulerFactory.Sigmas("Karras", new KDiffusionSchedule(SchedulerConfig.StableDiffusion1), 6, discardNextToLast: true);
        var expected = Doubles(Fixture.GetProperty("karras_discarded"));
        Assert.Equal(7, actual.Length);
        Assert.True(LargestDifference(expected, actual) <= 1e-5);
    }

    /// <summary>
    /// Drives <paramref name="scheduler"/> from <paramref name="start"/> × its first sigma as the pipeline does (scaled
    /// input to the "UNet", which answers epsilon from the toy denoiser), checking each call with <paramref name="checkCall"/>
    /// (its index and sigma); returns the largest |difference| of each call's x and of the result from the reference's.
    /// </summary>
    private static double Replay(KDiffusionScheduler scheduler, JsonElement reference, float[] start, Action<int, double> checkCall)
    {
        var data = Floats(Fixture.GetProperty("data"));
        var noise = new LatentNoise([new ReplayedNoise(reference.GetProperty("noise"))], start.Length);
        Assert.Equal(0, scheduler.Begin(0, noise));
        var sample = start.Select(value => value * (float)scheduler.Sigmas[0]).ToArray();
        var calls = reference.GetProperty("calls");
        Assert.Equal(calls.GetArrayLength(), scheduler.Timesteps.Count);
        var scaled = new float[sample.Length];
        var eps = new float[sample.Length];
        var largest = 0.0;
        for (var k = 0; k < scheduler.Timesteps.Count; k++)
        {
            // 1. the UNet's input, and the x it stands for
            var sigma = scheduler.EvaluationSigmas[k];
            checkCall(k, sigma);
            scheduler.ScaleModelInput(sample, scaled, k);
            var x = scaled.Select(value => value * Math.Sqrt(sigma * sigma + 1)).ToArray();
            largest = Math.Max(largest, LargestDifference(Floats(calls[k].GetProperty("x")), x));

            // 2. the toy denoiser, answered as epsilon: eps = (x - D) / sigma
            for (var i = 0; i < x.Length; i++)
            {
                var denoised = x[i] * (0.3 * sigma / (sigma * sigma + 1)) + data[i] / (1 + 0.1 * sigma);
                eps[i] = (float)((x[i] - denoised) / sigma);
            }

            scheduler.Step(eps, k, sample, noise);
        }

        return Math.Max(largest, LargestDifference(Floats(reference.GetProperty("final")), sample.Select(value => (double)value).ToArray()));
    }

    private static double LargestDifference(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        return expected.Zip(actual, (e, a) => Math.Abs(e - a)).DefaultIfEmpty().Max();
    }

    private static double LargestDifference(float[] expected, double[] actual) =>
        LargestDifference(expected.Select(value => (double)value).ToArray(), actual);

    private static double[] Doubles(JsonElement values) => [.. values.EnumerateArray().Select(value => value.GetDouble())];

    private static float[] Floats(JsonElement values) => [.. values.EnumerateArray().Select(value => value.GetSingle())];

    /// <summary>The fixture's noise draws, one per call, in order.</summary>
    private sealed class ReplayedNoise(JsonElement draws) : INormalSource
    {
        private int next;

        public void Fill(Span<float> destination)
        {
            var draw = Floats(draws[next++]);
            draw.CopyTo(destination);
        }
    }
}
