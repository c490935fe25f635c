using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// A1111's hires fix through the API to the worker's tiny model and back: the task succeeds with the upscaled size, its
/// progress counts both passes, and the image's infotext carries A1111's hires keys.
/// </summary>
public class HiresFixTests(TracedSystemFixture system) : IClassFixture<TracedSystemFixture>
{
    [Fact]
    public async Task A1111sEnableHrFieldsGiveTheUpscaledImageAfterBothPasses()
    {
        // A1111's flat fields on /v1alpha2, as its clients send them: 3 steps at 64x64, then 2 at 128x128.
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/v1alpha2")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["task"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["id"] = $"hires-{Guid.NewGuid():N}", ["runtime"] = "sdruntime", ["tasktype"] = "text-to-image" },
                    ["content"] = new JsonObject
                    {
                        ["prompt"] = "a lighthouse at dusk", ["width"] = 64, ["height"] = 64, ["steps"] = 3, ["seed"] = 5, ["sampler_name"] = "Euler",
                        ["enable_hr"] = true, ["hr_scale"] = 2, ["hr_upscaler"] = "Latent", ["hr_second_pass_steps"] = 2, ["denoising_strength"] = 0.5,
                    },
                },
            }),
        };
        submit.Headers.Add("x-api-key", "local-dev-key");
        using var accepted = await system.Api.SendAsync(submit);
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var task = await Eventually.GetAsync(async () =>
        {
            var view = await GetAsync<JsonObject>($"/v1/tasks/{id}");
            return TaskStatuses.IsTerminal(view["status"]!.GetValue<string>()) ? view : null;
        }, $"task {id} to finish", seconds: 120);

        Assert.Equal(TaskStatuses.Succeeded, task["status"]!.GetValue<string>());
        Assert.Equal((5, 5), (task["progress"]!["step"]!.GetValue<int>(), task["progress"]!["steps"]!.GetValue<int>()));
        var output = Assert.Single(task["outputs"]!.AsArray());
        using var download = new HttpClient();
        var png = await download.GetByteArrayAsync(output!["url"]!.GetValue<string>());
        Assert.Equal((128, 128), PngSize(png));

        var text = await GetAsync<JsonObject>($"/v1/tasks/{id}/outputs/0/text");
        var parameters = text["text"]!["parameters"]!.GetValue<string>();
        Assert.Contains("Size: 64x64", parameters, StringComparison.Ordinal);
        Assert.Contains("Denoising strength: 0.5, Hires upscale: 2, Hires steps: 2, Hires upscaler: Latent", parameters, StringComparison.Ordinal);
    }

    private async Task<T> GetAsync<T>(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-api-key", "local-dev-key");
        using var response = await system.Api.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    /// <summary>Width and height from the PNG's IHDR chunk (big-endian, bytes 16 to 24).</summary>
    private static (int Width, int Height) PngSize(byte[] png) =>
        (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
}
