using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Usage;

/// <summary>Usage per task and per key against the emulators, with a key of its own so that only its tasks are summed.</summary>
[Collection(ApiCollection.Name)]
public class UsageTests(ApiFixture fixture)
{
    /// <summary>sdruntime's price in runtimes.test.json: 1.8 USD an hour shared by 2 tasks, so 0.00025 USD per task-second.</summary>
    private const decimal TaskSecondUsd = 0.00025m;

    [Fact]
    public async Task TheKeysUsageSumsEqualTheSumOverItsTasks()
    {
        var key = $"usage-{Guid.NewGuid():N}";
        var clock = new MiddayClock();
        await using var app = fixture.CreateFactory(new Dictionary<string, string> { ["Api:ApiKeys:2"] = key }, services => services.AddSingleton<TimeProvider>(clock));
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", key);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var submitted = await client.PostAsJsonAsync("/v1/tasks", new { prompt = $"usage {i}", width = 128, height = 64, steps = 2, batch_size = i + 1 });
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var started = clock.GetUtcNow();
            Assert.True(await fixture.Tasks.TryStartAsync(id, "worker-usage", started, CancellationToken.None));
            var outputs = Enumerable.Range(0, i + 1).Select(n => new TaskOutput($"s3://{fixture.OutputBucket}/outputs/{id}/{id}-{n}.png", n)).ToList();
            Assert.True(await fixture.Tasks.CompleteAsync(id, TaskStatuses.Succeeded, outputs, null, null, started.AddSeconds(4 * (i + 1)), CancellationToken.None));
            ids.Add(id);
        }
        var other = await fixture.Client(ApiFixture.KeyB).PostAsJsonAsync("/v1/tasks", new { prompt = "someone else's", width = 64, height = 64, steps = 2 });
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);

        var perTask = new List<JsonElement>();
        foreach (var id in ids)
        {
            var task = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");
            perTask.Add(task.GetProperty("usage"));
        }
        var today = clock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var usage = await client.GetFromJsonAsync<JsonElement>($"/v1/usage?from={today}&to={today}");

        var total = usage.GetProperty("total");
        Assert.Equal(3, total.GetProperty("tasks").GetInt32());
        Assert.Equal(perTask.Sum(u => u.GetProperty("images").GetInt32()), total.GetProperty("images").GetInt32());
        Assert.Equal(6, total.GetProperty("images").GetInt32());
        Assert.Equal(perTask.Sum(u => u.GetProperty("pixels").GetInt64()), total.GetProperty("pixels").GetInt64());
        Assert.Equal(6L * 128 * 64, total.GetProperty("pixels").GetInt64());
        Assert.Equal(perTask.Sum(u => u.GetProperty("run_ms").GetInt64()), total.GetProperty("run_ms").GetInt64());
        Assert.Equal(perTask.Sum(u => u.GetProperty("cost_usd").GetDecimal()), total.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(24 * TaskSecondUsd, total.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(12.0, total.GetProperty("gpu_seconds").GetDouble());
        var day = Assert.Single(usage.GetProperty("days").EnumerateArray());
        Assert.Equal("sdruntime", day.GetProperty("runtime").GetString());
        Assert.Equal(today, day.GetProperty("date").GetString());
    }

    [Fact]
    public async Task AnUnfinishedTaskHasNoUsageYet()
    {
        using var client = fixture.Client();
        var submitted = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "still queued", width = 64, height = 64, steps = 2 });
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var task = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");

        Assert.Equal("queued", task.GetProperty("status").GetString());
        Assert.True(!task.TryGetProperty("usage", out var usage) || usage.ValueKind == JsonValueKind.Null, $"usage of a queued task: {usage}");
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-01-10&to=2026-01-01", "to")]
    [InlineData("from=2026-01-01&to=2026-12-31", "to")]
    public async Task ABadRangeNamesTheField(string query, string field)
    {
        using var client = fixture.Client();

        var errors = await ProblemAssert.FieldErrorsAsync(await client.GetAsync($"/v1/usage?{query}"), HttpStatusCode.UnprocessableEntity);

        Assert.Contains(field, errors.Keys);
    }
}
