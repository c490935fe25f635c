using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Agent.A1111;

/// <summary>
/// Generates through an AUTOMATIC1111-compatible HTTP runtime: the A1111 body goes to <c>/sdapi/v1/txt2img</c> or
/// <c>/sdapi/v1/img2img</c> (with <c>alwayson_scripts</c> as the client sent them and the task's checkpoint in
/// <c>override_settings</c>), an upscale to <c>/sdapi/v1/extra-single-image</c>; images come back base64; progress is
/// read from <c>/sdapi/v1/progress</c>, and a cancel posts <c>/sdapi/v1/interrupt</c>. A generation that outlasts
/// <see cref="A1111Options.TimeoutSeconds"/> is interrupted too, and ends in a <see cref="RuntimeTimeoutException"/>.
/// </summary>
public sealed partial class A1111Generator(
    HttpClient http, InitImageFetcher initImages, IOptions<A1111Options> options, TimeProvider time, ILogger<A1111Generator> logger) : ITaskGenerator
{
    private readonly RuntimeReadiness _readiness = new($"The A1111 runtime at {http.BaseAddress}", ct => AnswersAsync(http, ct),
        TimeSpan.FromSeconds(options.Value.ReadyTimeoutSeconds), TimeSpan.FromSeconds(1), time, logger);

    public async Task<TaskImages> GenerateAsync(GenerateImageRequested task, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        await WaitUntilReadyAsync(cancellationToken);
        var p = task.Parameters;
        var initImage = task.TaskType is TaskTypes.ImageToImage or TaskTypes.ExtraSingleImage
            ? Convert.ToBase64String(await initImages.FetchFirstAsync(p, cancellationToken))
            : null;
        var (path, body) = task.TaskType == TaskTypes.ExtraSingleImage ? ExtrasBody(p, initImage!) : GenerationBody(p, initImage);
        return TaskImages.From(await PostAsync(path, body, p, progress, cancellationToken));
    }

    private static (string Path, JsonObject Body) GenerationBody(GenerationParameters p, string? initImage)
    {
        var body = new JsonObject
        {
            ["prompt"] = p.Prompt,
            ["negative_prompt"] = p.NegativePrompt ?? "",
            ["width"] = p.Width,
            ["height"] = p.Height,
            ["steps"] = p.Steps,
            ["cfg_scale"] = p.CfgScale,
            ["seed"] = p.Seed,
            ["sampler_name"] = p.SamplerName,
            ["batch_size"] = p.BatchSize,
        };
        // Seeds and schedules as A1111 reads them; left out at A1111's own defaults so older servers see what they know.
        if (p.Scheduler != "Automatic")
        {
            body["scheduler"] = p.Scheduler;
        }
        if (p.NIter != 1)
        {
            body["n_iter"] = p.NIter;
        }
        if (p.SubseedStrength != 0)
        {
            body["subseed"] = p.Subseed;
            body["subseed_strength"] = p.SubseedStrength;
        }
        if (p.SeedResizeFromH > 0 && p.SeedResizeFromW > 0)
        {
            body["seed_resize_from_h"] = p.SeedResizeFromH;
            body["seed_resize_from_w"] = p.SeedResizeFromW;
        }
        // The request's other A1111 fields (restore_faces, enable_hr, override_settings, ...) go on unchanged; ours win.
        if (p.A1111Fields is { ValueKind: JsonValueKind.Object } fields)
        {
            foreach (var field in fields.EnumerateObject())
            {
                body[field.Name] ??= JsonNode.Parse(field.Value.GetRawText());
            }
        }
        if (p.AlwaysOnScripts is { } scripts)
        {
            body["alwayson_scripts"] = JsonNode.Parse(scripts.GetRawText());
        }
        var settings = body["override_settings"] as JsonObject ?? new JsonObject();
        if (p.ModelCheckpoint is { } checkpoint)
        {
            settings["sd_model_checkpoint"] = checkpoint;
        }
        if (p.ClipSkip > 1)
        {
            settings["CLIP_stop_at_last_layers"] = p.ClipSkip;
        }
        if (p.Emphasis is { } emphasis)
        {
            settings["emphasis"] = emphasis;
        }
        if (settings.Count > 0 && settings.Parent is null)
        {
            body["override_settings"] = settings;
        }
        if (initImage is null)
        {
            return ("/sdapi/v1/txt2img", body);
        }
        body["init_images"] = new JsonArray(initImage);
        body["denoising_strength"] = p.DenoisingStrength;
        return ("/sdapi/v1/img2img", body);
    }

    private static (string Path, JsonObject Body) ExtrasBody(GenerationParameters p, string image) => ("/sdapi/v1/extra-single-image", new JsonObject
    {
        ["image"] = image,
        ["resize_mode"] = 0,
        ["upscaling_resize"] = p.UpscalingResize,
        ["upscaler_1"] = p.Upscaler,
    });

    private async Task<GenerationResult> PostAsync(string path, JsonObject body, GenerationParameters request, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var poller = progress is null ? Task.CompletedTask : PollProgressAsync(progress, polling.Token);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var bytes = await ReadLimitedAsync(response, timeout.Token);
            if ((int)response.StatusCode is >= 400 and < 500)
            {
                throw new GenerationInputException("runtime_rejected", $"The A1111 runtime refused the request ({(int)response.StatusCode}): {Truncate(bytes)}");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new EngineFaultException($"The A1111 runtime answered {(int)response.StatusCode}: {Truncate(bytes)}");
            }
            return Parse(bytes, request);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await InterruptAsync();
            throw;
        }
        catch (OperationCanceledException ex)
        {
            // The runtime's own time ran out (not a cancel or a shutdown): stop its work, then leave the retry to the handler.
            await InterruptAsync();
            throw new RuntimeTimeoutException($"The A1111 runtime did not finish within {options.Value.TimeoutSeconds} s.", ex);
        }
        finally
        {
            await polling.CancelAsync();
            await poller;
        }
    }

    /// <summary>The answer's bytes as they arrive, refused once past <see cref="A1111Options.MaxResponseBytes"/>.</summary>
    private async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxResponseBytes;
        GenerationInputException TooLarge() => new("runtime_response_too_large",
            $"The A1111 runtime's answer is larger than {limit} bytes; ask for fewer or smaller images.");
        if (response.Content.Headers.ContentLength > limit)
        {
            throw TooLarge();
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge();
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static GenerationResult Parse(byte[] body, GenerationParameters request)
    {
        var json = (body.Length == 0 ? null : JsonNode.Parse(body)) ?? throw new HttpRequestException("The A1111 runtime returned an empty body.");
        if (json["image"]?.GetValue<string>() is { } upscaled)
        {
            return new GenerationResult([new GeneratedImage(Convert.FromBase64String(upscaled), -1)], PromptTokens: null, ModelName: "a1111");
        }
        var images = json["images"]?.AsArray().Select(node => Convert.FromBase64String(node!.GetValue<string>())).ToList()
            ?? throw new HttpRequestException("The A1111 runtime returned no images.");
        var seeds = new List<long>();
        if (json["info"]?.GetValue<string>() is { } info && JsonNode.Parse(info)?["all_seeds"] is JsonArray all)
        {
            seeds.AddRange(all.Select(s => s!.GetValue<long>()));
        }
        var generated = images.Take(request.BatchSize)
            .Select((png, i) => new GeneratedImage(png, i < seeds.Count ? seeds[i] : request.Seed < 0 ? -1 : request.Seed + i))
            .ToList();
        return new GenerationResult(generated, PromptTokens: null, ModelName: "a1111");
    }

    /// <summary>Waits until the runtime answers <c>/sdapi/v1/sd-models</c>, at most <see cref="A1111Options.ReadyTimeoutSeconds"/>.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => _readiness.WaitAsync(cancellationToken);

    private static async Task<bool> AnswersAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/sdapi/v1/sd-models", cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private async Task PollProgressAsync(IProgress<DenoiseProgress> progress, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.ProgressPollMilliseconds, cancellationToken);
                var state = await http.GetFromJsonAsync<JsonObject>("/sdapi/v1/progress?skip_current_image=true", cancellationToken);
                if (state?["state"]?["sampling_step"]?.GetValue<int>() is { } step && state["state"]?["sampling_steps"]?.GetValue<int>() is { } steps && steps > 0)
                {
                    progress.Report(new DenoiseProgress(step, steps));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or JsonException or InvalidOperationException or FormatException)
        {
            // Progress is best effort.
        }
    }

    /// <summary>Best effort, and bounded by <see cref="A1111Options.InterruptTimeoutSeconds"/>: a runtime that does not answer is left as it is.</summary>
    private async Task InterruptAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.InterruptTimeoutSeconds));
        try
        {
            using var response = await http.PostAsync("/sdapi/v1/interrupt", null, limit.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogInterruptFailed(logger, ex.Message);
        }
    }

    private static string Truncate(byte[] body) => System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));


    [LoggerMessage(LogLevel.Warning, "Could not interrupt the A1111 runtime: {Error}")]
    private static partial void LogInterruptFailed(ILogger logger, string error);
}
