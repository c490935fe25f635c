using System.Globalization;
using System.Text;
using System.Text.Json;
using SdServerless.GpuWorker.Diffusion.Prompting;

namespace SdServerless.GpuWorker.Diffusion.Imaging;

/// <summary>
/// AUTOMATIC1111's "parameters" text: the prompt, a <c>Negative prompt:</c> line when there is one, then one line of
/// <c>Key: value</c> pairs. A value holding a comma, colon or newline is JSON-quoted, as A1111's <c>infotext</c> does,
/// so its PNG-info reader parses it back.
/// </summary>
public static class InfoText
{
    public const string Keyword = "parameters";

    public static string Format(GenerationRequest request, long seed, string modelName)
    {
        var text = new StringBuilder(request.Prompt.Trim());
        if (!string.IsNullOrWhiteSpace(request.NegativePrompt))
        {
            text.Append("\nNegative prompt: ").Append(request.NegativePrompt.Trim());
        }

        var pairs = new List<(string Key, string Value)>
        {
            ("Steps", request.Steps.ToString(CultureInfo.InvariantCulture)),
            ("Sampler", request.Sampler.Trim()),
            ("CFG scale", request.CfgScale.ToString("0.###", CultureInfo.InvariantCulture)),
            ("Seed", seed.ToString(CultureInfo.InvariantCulture)),
            ("Size", $"{request.Width}x{request.Height}"),
            ("Model", modelName),
        };
        if (request.InitImage is not null)
        {
            pairs.Add(("Denoising strength", request.DenoisingStrength.ToString("0.###", CultureInfo.InvariantCulture)));
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

        text.Append('\n').AppendJoin(", ", pairs.Select(pair => $"{pair.Key}: {Quote(pair.Value)}"));
        return text.ToString();
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",:\n") >= 0 ? JsonSerializer.Serialize(value) : value;
}
