using System.Globalization;
using System.Text;
using System.Text.Json;
using SdServerless.GpuWorker.Diffusion.Hires;
using SdServerless.GpuWorker.Diffusion.Prompting;
using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Sampling;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>
/// AUTOMATIC1111's "parameters" text: the prompt, a <c>Negative prompt:</c> line when there is one, then one line of
/// <c>Key: value</c> pairs. A value holding a comma, colon or newline is JSON-quoted, as A1111's <c>infotext</c> does,
/// so its PNG-info reader parses it back.
/// </summary>
public static class InfoText
{
    public const string Keyword = "parameters";

    /// <summary>
    /// The text for image <paramref name="image"/> of a batch. With <paramref name="noise"/>, the noise fields A1111
    /// writes (<c>Variation seed</c>, <c>Variation seed strength</c>, <c>Seed resize from</c>, <c>ENSD</c>, <c>RNG</c>) so
    /// that A1111 pasting the text draws the same noise; ComfyUI's whole-batch noise, which A1111 cannot draw, says so.
    /// </summary>
    public static string Format(GenerationRequest request, long seed, string modelName, NoisePlan? noise = null, int image = 0, SamplerSchedule? sampling = null, HiresInfo? hires = null)
    {
        var text = new StringBuilder(request.Prompt.Trim());
        if (!string.IsNullOrWhiteSpace(request.NegativePrompt))
        {
            text.Append("\nNegative prompt: ").Append(request.NegativePrompt.Trim());
        }

        var pairs = new List<(string Key, string Value)>
        {
            ("Steps", request.Steps.ToString(CultureInfo.InvariantCulture)),
            ("Sampler", sampling?.Sampler ?? request.Sampler.Trim()),
            ("Schedule type", sampling?.Schedule ?? ""),
            ("CFG scale", request.CfgScale.ToString("0.###", CultureInfo.InvariantCulture)),
            ("Seed", seed.ToString(CultureInfo.InvariantCulture)),
            ("Size", $"{request.Width}x{request.Height}"),
            ("Model", modelName),
        };
        pairs.RemoveAll(pair => pair is ("Schedule type", ""));
        if (noise is { UsesSubseeds: true })
        {
            pairs.Add(("Variation seed", noise.Subseeds[image].ToString(CultureInfo.InvariantCulture)));
            pairs.Add(("Variation seed strength", noise.SubseedStrength.ToString(CultureInfo.InvariantCulture)));
        }

        if (noise?.ResizeFrom is { } from)
        {
            pairs.Add(("Seed resize from", $"{from.Width}x{from.Height}"));
        }

        if (request.InitImage is not null || hires is not null)
        {
            pairs.Add(("Denoising strength", request.DenoisingStrength.ToString("0.###", CultureInfo.InvariantCulture)));
        }

        if (hires is not null)
        {
            pairs.AddRange(HiresPairs(request, sampling, hires));
        }

        // A1111 writes clip skip above 1, and the emphasis mode when it is not "Original" and a prompt has brackets.
        if (request.ClipSkip > 1)
        {
            pairs.Add(("Clip skip", request.ClipSkip.ToString(CultureInfo.InvariantCulture)));
        }

        if (request.Emphasis != EmphasisMode.Original && new[] { request.Prompt, request.NegativePrompt ?? "" }.Any(text => text.AsSpan().IndexOfAny("([") >= 0))
        {
            pairs.Add(("Emphasis", EmphasisModes.Name(request.Emphasis)));
        }

        AddSamplerSettings(pairs, request, sampling?.Sampler ?? request.Sampler.Trim());
        if (noise is not null)
        {
            var sampler = sampling?.Sampler ?? request.Sampler;
            var drawsStepNoise = SchedulerFactory.DrawsStepNoise(sampler, request.SChurn);
            if (noise.EtaNoiseSeedDelta != 0 && drawsStepNoise)
            {
                pairs.Add(("ENSD", noise.EtaNoiseSeedDelta.ToString(CultureInfo.InvariantCulture)));
            }

            pairs.Add(("RNG", RngSources.InfoTextName(noise.Source)));
            if (noise.Layout == NoiseLayout.WholeBatch)
            {
                pairs.Add(("Noise layout", NoiseLayouts.Name(noise.Layout)));
                pairs.Add(("Batch index", image.ToString(CultureInfo.InvariantCulture)));
            }
        }

        text.Append('\n').AppendJoin(", ", pairs.Select(pair => $"{pair.Key}: {Quote(pair.Value)}"));
        return text.ToString();
    }

    /// <summary>
    /// What A1111 writes for eta and the sigma settings where the sampler reads them and they differ from its defaults,
    /// and, for the SDE samplers, which noise was used: A1111 draws theirs from torchsde's Brownian tree, which this
    /// engine does not reproduce (docs/decisions/0423), so the text does not claim the same image.
    /// </summary>
    private static void AddSamplerSettings(List<(string Key, string Value)> pairs, GenerationRequest request, string sampler)
    {
        static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
        if (sampler.Equals("DDIM", StringComparison.OrdinalIgnoreCase) && request.Eta is { } ddimEta && ddimEta != 0)
        {
            pairs.Add(("Eta DDIM", Number(ddimEta)));
        }

        if (SchedulerFactory.UsesEta(sampler) && request.Eta is { } eta && eta != 1)
        {
            pairs.Add(("Eta", Number(eta)));
        }

        if (SchedulerFactory.UsesChurn(sampler))
        {
            if (request.SChurn != 0)
            {
                pairs.Add(("Sigma churn", Number(request.SChurn)));
            }

            if (request.STmin != 0)
            {
                pairs.Add(("Sigma tmin", Number(request.STmin)));
            }

            if (request.STmax != 0)
            {
                pairs.Add(("Sigma tmax", Number(request.STmax)));
            }
        }

        if (SchedulerFactory.UsesSNoise(sampler) && request.SNoise != 1)
        {
            pairs.Add(("Sigma noise", Number(request.SNoise)));
        }

        if (SchedulerFactory.UsesBrownianNoise(sampler))
        {
            pairs.Add((SdeNoiseKey, SdeNoiseValue));
        }
    }

    /// <summary>The field that says an SDE sampler's noise is not A1111's Brownian tree.</summary>
    public const string SdeNoiseKey = "SDE noise";

    public const string SdeNoiseValue = "per-step randn";

    /// <summary>A1111's hires keys, each where A1111 writes it (the sampler, schedule and prompts only where they differ from the first pass's).</summary>
    private static IEnumerable<(string Key, string Value)> HiresPairs(GenerationRequest request, SamplerSchedule? sampling, HiresInfo hires)
    {
        var fix = hires.Plan.Fix;
        if (!string.IsNullOrWhiteSpace(fix.Sampler) && hires.Sampling.Sampler != (sampling?.Sampler ?? request.Sampler.Trim()))
        {
            yield return ("Hires sampler", hires.Sampling.Sampler);
        }

        if (!string.IsNullOrWhiteSpace(fix.Scheduler) && hires.Sampling.Schedule != sampling?.Schedule)
        {
            yield return ("Hires schedule type", hires.Sampling.Schedule);
        }

        if (hires.Prompt != request.Prompt)
        {
            yield return ("Hires prompt", hires.Prompt);
        }

        if (hires.NegativePrompt != request.NegativePrompt && !string.IsNullOrEmpty(hires.NegativePrompt))
        {
            yield return ("Hires negative prompt", hires.NegativePrompt);
        }

        yield return fix.Resized
            ? ("Hires resize", $"{fix.ResizeX}x{fix.ResizeY}")
            : ("Hires upscale", fix.Scale.ToString("0.###", CultureInfo.InvariantCulture));
        if (fix.SecondPassSteps != 0)
        {
            yield return ("Hires steps", fix.SecondPassSteps.ToString(CultureInfo.InvariantCulture));
        }

        yield return ("Hires upscaler", hires.Plan.Upscaler.Name);
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",:\n") >= 0 ? JsonSerializer.Serialize(value) : value;
}
