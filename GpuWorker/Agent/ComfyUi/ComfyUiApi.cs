using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>
/// ComfyUI's HTTP routes, one method each. A 5xx, a refused connection or a body that is not what ComfyUI sends is an
/// <see cref="HttpRequestException"/> (the runtime's fault); only the workflow's own mistakes become
/// <see cref="GenerationInputException"/>.
/// </summary>
internal sealed class ComfyUiApi(HttpClient http)
{
    public Uri BaseAddress => http.BaseAddress ?? throw new InvalidOperationException("The ComfyUI HttpClient needs a BaseAddress.");

    /// <summary><c>GET /system_stats</c>: cheap, and answered only once ComfyUI has loaded its nodes.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/system_stats", cancellationToken);
        return response.IsSuccessStatusCode;
    }

    /// <summary>
    /// <c>POST /upload/image</c> (multipart: <c>image</c> named <paramref name="fileName"/>, <c>subfolder</c>,
    /// <c>overwrite=true</c>, <c>type=input</c>); returns the name to load it by. The caller's name never reaches ComfyUI.
    /// </summary>
    public async Task<string> UploadImageAsync(ComfyInputImage image, string fileName, string subfolder, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image.Data);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "image", fileName);
        form.Add(new StringContent(subfolder), "subfolder");
        form.Add(new StringContent("true"), "overwrite");
        form.Add(new StringContent("input"), "type");
        using var response = await http.PostAsync("/upload/image", form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge)
        {
            throw new GenerationInputException("workflow_input_rejected",
                ComfyErrors.Truncate($"ComfyUI refused input '{image.Name}' ({(int)response.StatusCode}): {body}"));
        }
        var json = Json(response, body, "/upload/image");
        var name = json["name"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";
        if (name.Length == 0)
        {
            throw new HttpRequestException($"ComfyUI's /upload/image answer has no name: {ComfyErrors.Truncate(body)}");
        }
        return json["subfolder"]?.ToString() is { Length: > 0 } storedIn ? $"{storedIn}/{name}" : name;
    }

    /// <summary><c>POST /prompt</c> with <c>{ "prompt", "client_id" }</c>; returns the prompt id and ComfyUI's partial node errors.</summary>
    public async Task<(string PromptId, JsonObject? NodeErrors)> QueuePromptAsync(JsonObject workflow, string clientId, CancellationToken cancellationToken)
    {
        var payload = new JsonObject { ["prompt"] = workflow.DeepClone(), ["client_id"] = clientId };
        using var response = await http.PostAsJsonAsync("/prompt", payload, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            throw new GenerationInputException("workflow_invalid", ComfyErrors.Rejection(body));
        }
        var json = Json(response, body, "/prompt");
        var id = json["prompt_id"]?.ToString();
        if (string.IsNullOrEmpty(id))
        {
            throw new HttpRequestException($"ComfyUI's /prompt answer has no prompt_id: {ComfyErrors.Truncate(body)}");
        }
        return (id, json["node_errors"] as JsonObject is { Count: > 0 } errors ? errors : null);
    }

    /// <summary><c>GET /history/{prompt_id}</c>; <c>null</c> while the prompt is queued or running.</summary>
    public async Task<ComfyHistoryEntry?> GetHistoryAsync(string promptId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/history/{Uri.EscapeDataString(promptId)}", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return ComfyHistoryEntry.Parse(Json(response, body, "/history"), promptId);
    }

    /// <summary>
    /// <c>GET /view?filename=&amp;subfolder=&amp;type=</c>: the saved file's bytes, read as they arrive and refused once
    /// past <paramref name="maxBytes"/> (<c>output_too_large</c>, the workflow's fault).
    /// </summary>
    public async Task<byte[]> ViewAsync(ComfyOutputImage image, long maxBytes, CancellationToken cancellationToken)
    {
        var query = $"filename={Uri.EscapeDataString(image.Filename)}&subfolder={Uri.EscapeDataString(image.Subfolder)}&type={Uri.EscapeDataString(image.Type)}";
        using var response = await http.GetAsync($"/view?{query}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"ComfyUI's /view answered {(int)response.StatusCode} for {image.Filename} of node {image.NodeId}.", null, response.StatusCode);
        }
        GenerationInputException TooLarge(string size) => new("output_too_large",
            $"Node {image.NodeId} saved {image.Filename} of {size} bytes; this runtime returns images of at most {maxBytes} bytes.");
        if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
        {
            throw TooLarge(length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var bytes = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (bytes.Length + read > maxBytes)
            {
                throw TooLarge($"more than {maxBytes}");
            }
            bytes.Write(chunk, 0, read);
        }
        return bytes.Length > 0 ? bytes.ToArray() : throw new HttpRequestException($"ComfyUI's /view returned no bytes for {image.Filename} of node {image.NodeId}.");
    }

    /// <summary><c>POST /history { "delete": [prompt_id] }</c>: forgets a finished prompt (its workflow and output names).</summary>
    public Task DeleteHistoryAsync(string promptId, CancellationToken cancellationToken) =>
        PostAsync("/history", new JsonObject { ["delete"] = new JsonArray(promptId) }, cancellationToken);

    /// <summary><c>GET /queue</c>: whether the prompt is in <c>queue_pending</c> or <c>queue_running</c> (items are <c>[number, prompt_id, ...]</c>).</summary>
    public async Task<ComfyQueuePlace> GetQueuePlaceAsync(string promptId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/queue", cancellationToken);
        var json = Json(response, await response.Content.ReadAsStringAsync(cancellationToken), "/queue");
        bool Holds(string list) => (json[list] as JsonArray ?? []).OfType<JsonArray>().Any(item => item.Count > 1 && item[1]?.ToString() == promptId);
        return Holds("queue_running") ? ComfyQueuePlace.Running : Holds("queue_pending") ? ComfyQueuePlace.Pending : ComfyQueuePlace.Absent;
    }

    /// <summary><c>POST /queue { "delete": [prompt_id] }</c>: drops a prompt that has not started.</summary>
    public Task DeleteFromQueueAsync(string promptId, CancellationToken cancellationToken) =>
        PostAsync("/queue", new JsonObject { ["delete"] = new JsonArray(promptId) }, cancellationToken);

    /// <summary>
    /// <c>POST /interrupt { "prompt_id" }</c>: stops the running prompt. ComfyUI versions that read the body interrupt only that
    /// prompt; older ones interrupt whatever runs, so callers check <see cref="GetQueuePlaceAsync"/> first.
    /// </summary>
    public Task InterruptAsync(string promptId, CancellationToken cancellationToken) =>
        PostAsync("/interrupt", new JsonObject { ["prompt_id"] = promptId }, cancellationToken);

    private async Task PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"ComfyUI's {path} answered {(int)response.StatusCode}.", null, response.StatusCode);
        }
    }

    private static JsonObject Json(HttpResponseMessage response, string body, string route)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"ComfyUI's {route} answered {(int)response.StatusCode}: {ComfyErrors.Truncate(body)}", null, response.StatusCode);
        }
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new HttpRequestException($"ComfyUI's {route} answer is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new HttpRequestException($"ComfyUI's {route} answer is not JSON: {ex.Message}", ex);
        }
    }
}
