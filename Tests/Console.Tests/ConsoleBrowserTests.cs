using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SdServerless.Console.Tests;

/// <summary>The console in Chromium against the whole local system: what a newcomer does, step by step.</summary>
public sealed class ConsoleBrowserTests(ConsoleSystemFixture system) : IClassFixture<ConsoleSystemFixture>
{
    private const string Key = "local-dev-key";

    [Fact]
    public async Task SubmittedTaskReachesSucceededAndShowsItsImage()
    {
        var result = await BrowserScenario.RunAsync("submit", system.ConsoleUrl, system.CallbackUrl);

        var taskId = result.GetProperty("taskId").GetString()!;
        Assert.Equal(64, result.GetProperty("naturalWidth").GetInt32());
        Assert.Equal("succeeded", result.GetProperty("rowStatus").GetString());
        Assert.Empty(result.GetProperty("problems").EnumerateArray());
        Assert.False(result.GetProperty("keyInUrl").GetBoolean());
        Assert.Equal(Key, result.GetProperty("storedKey").GetString());
        var curl = result.GetProperty("curl").GetString()!;
        Assert.Contains("\"prompt\":\"a lighthouse at dusk\"", curl);
        Assert.DoesNotContain(Key, curl);

        var infotext = result.GetProperty("infotext").GetString()!;
        Assert.StartsWith("a lighthouse at dusk", infotext);
        Assert.Contains("Steps: 4", infotext);
        Assert.Contains("Seed: 42", infotext);
        Assert.Contains("Size: 64x64", infotext);

        var webhook = result.GetProperty("webhook").GetString();
        Assert.Contains("task.succeeded", webhook);
        Assert.Contains("delivered, 1 attempt", webhook);
        Assert.Contains("/hooks/console", system.Webhooks);

        var again = result.GetProperty("again");
        Assert.Equal("a lighthouse at dusk", again.GetProperty("prompt").GetString());
        Assert.Equal("42", again.GetProperty("seed").GetString());
        Assert.Equal("4", again.GetProperty("steps").GetString());
        Assert.Equal("64", again.GetProperty("width").GetString());

        var task = await GetTaskAsync(taskId);
        Assert.Equal("succeeded", task.GetProperty("status").GetString());
        Assert.Equal(1, task.GetProperty("outputs").GetArrayLength());
        Assert.Equal(42, task.GetProperty("parameters").GetProperty("seed").GetInt64());
        Assert.True(File.Exists(Path.Combine(BrowserScenario.Screenshots, "console-task.png")));

        // The task page shows what the API says the task used: one 64 × 64 image.
        var used = task.GetProperty("usage");
        var usage = result.GetProperty("usage").GetString()!;
        Assert.Contains("images1", usage, StringComparison.Ordinal);
        Assert.Equal(4096, used.GetProperty("pixels").GetInt64());
        Assert.Contains("pixels4,096", usage, StringComparison.Ordinal);
        Assert.Contains("GPU seconds", usage, StringComparison.Ordinal);
        Assert.Contains("estimated cost", usage, StringComparison.Ordinal);

        // The usage view shows GET /v1/usage: today's row for the runtime counts this task among the key's.
        var today = task.GetProperty("created_at").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var day = result.GetProperty("usageRows").EnumerateArray().Single(r => r.GetProperty("date").GetString() == today && r.GetProperty("runtime").GetString() == task.GetProperty("runtime").GetString());
        var cells = day.GetProperty("cells").EnumerateArray().Select(c => c.GetString()!).ToList();
        var apiDay = (await GetUsageAsync()).GetProperty("days").EnumerateArray()
            .Single(d => d.GetProperty("date").GetString() == today && d.GetProperty("runtime").GetString() == task.GetProperty("runtime").GetString());
        var shownTasks = int.Parse(cells[2], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(shownTasks, 1, apiDay.GetProperty("tasks").GetInt32());
        Assert.True(int.Parse(cells[3], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        var total = result.GetProperty("usageTotal").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal("total", total[0]);
        Assert.Equal("all", total[1]);
        Assert.True(int.Parse(total[2], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) >= shownTasks);
        Assert.StartsWith("$", total[7], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongTaskIsCanceledFromItsPageWithTheKeyboardThenRetriedAsANewTask()
    {
        var result = await BrowserScenario.RunAsync("cancel", system.ConsoleUrl);

        Assert.Contains(result.GetProperty("before").GetString(), new[] { "queued", "running" });
        Assert.Equal("cancel-task", result.GetProperty("focusedAfterRefresh").GetString());
        Assert.Equal(0, result.GetProperty("cancelButtonsLeft").GetInt32());
        Assert.Empty(result.GetProperty("problems").EnumerateArray());
        var taskId = result.GetProperty("taskId").GetString()!;
        var task = await GetTaskAsync(taskId);
        Assert.Equal("canceled", task.GetProperty("status").GetString());

        var retryId = result.GetProperty("retryId").GetString()!;
        Assert.NotEqual(taskId, retryId);
        Assert.Equal(taskId, result.GetProperty("retryOf").GetString());
        Assert.Equal(0, result.GetProperty("retryButtonsWhileActive").GetInt32());
        Assert.Equal(retryId, task.GetProperty("retried_by").GetString());
        var retry = await GetTaskAsync(retryId);
        Assert.Equal(taskId, retry.GetProperty("retry_of").GetString());
        Assert.Equal(task.GetProperty("parameters").GetProperty("steps").GetInt32(), retry.GetProperty("parameters").GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task RunningTaskPageShowsProgressFromTheEventStreamWithoutPolling()
    {
        var result = await BrowserScenario.RunAsync("live", system.ConsoleUrl);

        Assert.Empty(result.GetProperty("problems").EnumerateArray());
        Assert.Equal("stream", result.GetProperty("liveMode").GetString());
        Assert.True(result.GetProperty("streams").GetInt32() >= 1);
        // One read to open the page and one after the stream's end, instead of one a second.
        Assert.InRange(result.GetProperty("taskReads").GetInt32(), 1, 2);
        var steps = result.GetProperty("stepsShown").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.Contains(steps, s => s.StartsWith("step ", StringComparison.Ordinal) && s != "step 150 of 150");
        var task = await GetTaskAsync(result.GetProperty("taskId").GetString()!);
        Assert.Equal("succeeded", task.GetProperty("status").GetString());
    }

    [Fact]
    public async Task DroppedInitImageMakesAnImageToImageTask()
    {
        var result = await BrowserScenario.RunAsync("imageToImage", system.ConsoleUrl);

        Assert.Empty(result.GetProperty("problems").EnumerateArray());
        var task = await GetTaskAsync(result.GetProperty("taskId").GetString()!);
        Assert.Equal("image-to-image", task.GetProperty("task_type").GetString());
        Assert.Equal("succeeded", task.GetProperty("status").GetString());
        Assert.Equal(0.5, task.GetProperty("parameters").GetProperty("denoising_strength").GetDouble(), 3);
        Assert.Equal(1, task.GetProperty("outputs").GetArrayLength());
    }

    [Fact]
    public async Task ADroppedImageOverOneMebibyteIsUploadedThroughItsPresignedUrl()
    {
        var result = await BrowserScenario.RunAsync("largeImageToImage", system.ConsoleUrl);

        Assert.Empty(result.GetProperty("problems").EnumerateArray());
        Assert.True(result.GetProperty("size").GetInt64() > 1024 * 1024, $"the dropped file is {result.GetProperty("size").GetInt64()} bytes");
        var put = Assert.Single(result.GetProperty("puts").EnumerateArray());
        Assert.Contains("/uploads/", put.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal("image/png", put.GetProperty("type").GetString());
        var initImage = Assert.Single(result.GetProperty("initImages").EnumerateArray()).GetString()!;
        Assert.StartsWith("upload:", initImage, StringComparison.Ordinal);
        var task = await GetTaskAsync(result.GetProperty("taskId").GetString()!);
        Assert.Equal("succeeded", task.GetProperty("status").GetString());
        Assert.Equal(1, task.GetProperty("outputs").GetArrayLength());
    }

    [Fact]
    public async Task BadSizeShowsTheApiFieldErrorNextToWidth()
    {
        var result = await BrowserScenario.RunAsync("fieldError", system.ConsoleUrl);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = JsonContent.Create(new { prompt = "too narrow", width = 100, height = 512 }) };
        request.Headers.Add("x-api-key", Key);
        using var answer = await system.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
        var apiMessages = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("width").EnumerateArray().Select(m => m.GetString());
        Assert.Equal(string.Join(" ", apiMessages), result.GetProperty("message").GetString());
        Assert.Equal("true", result.GetProperty("invalid").GetString());
        Assert.Equal("f-width", result.GetProperty("focused").GetString());
        Assert.DoesNotContain("#/tasks/", result.GetProperty("url").GetString());
    }

    [Fact]
    public async Task ConsoleIsServedWithoutKeyUnderAStrictPolicyWhileTheApiStaysKeyed()
    {
        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = system.Api.BaseAddress };

        using var root = await plain.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("console/", root.Headers.Location!.OriginalString);

        using var page = await plain.GetAsync("/console/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("connect-src 'self'", policy);
        var s3 = system.Stack.Connection.S3Endpoint!;
        Assert.Contains($"img-src 'self' data: blob: {s3.GetLeftPart(UriPartial.Authority)}", policy);
        Assert.False(page.Headers.Contains("Access-Control-Allow-Origin"));

        using var script = await plain.GetAsync("/console/main.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        using var cached = new HttpRequestMessage(HttpMethod.Get, "/console/main.js");
        cached.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await plain.SendAsync(cached)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync("/console/missing.js")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await plain.GetAsync("/v1/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await plain.GetAsync("/v1/me")).StatusCode);
    }

    private async Task<JsonElement> GetUsageAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/usage");
        request.Headers.Add("x-api-key", Key);
        using var response = await system.Api.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> GetTaskAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tasks/{id}");
        request.Headers.Add("x-api-key", Key);
        using var response = await system.Api.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
