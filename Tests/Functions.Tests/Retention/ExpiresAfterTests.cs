using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Retention;

/// <summary><c>expires_after</c> against the emulators: the class kept on the task, and <c>outputs_expire_at</c> shown.</summary>
[Collection(ApiCollection.Name)]
public class ExpiresAfterTests(ApiFixture fixture)
{
    [Fact]
    public async Task ATaskWithExpiresAfterKeepsItsClassAndShowsWhenItsOutputsExpire()
    {
        using var client = fixture.Client();
        var response = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "kept a day", width = 64, height = 64, steps = 2, expires_after = 7200 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(1, (await fixture.Tasks.GetAsync(id, CancellationToken.None))!.RetentionDays);
        var queued = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");
        Assert.Equal(JsonValueKind.Null, queued.GetProperty("outputs_expire_at").ValueKind);

        var finished = DateTimeOffset.Parse("2026-03-04T22:30:00Z");
        Assert.True(await fixture.Tasks.CompleteAsync(id, TaskStatuses.Succeeded, [new TaskOutput($"s3://{fixture.OutputBucket}/outputs/{id}/{id}-0.png", 1)],
            null, null, finished, CancellationToken.None));
        var view = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");

        // Finished + 1 day, rounded up to the next midnight UTC, as S3 counts a lifecycle rule's days.
        Assert.Equal(DateTimeOffset.Parse("2026-03-06T00:00:00Z"), view.GetProperty("outputs_expire_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task ATaskWithoutExpiresAfterShowsNoExpiry()
    {
        using var client = fixture.Client();
        var response = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "kept by default", width = 64, height = 64, steps = 2 });
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await fixture.Tasks.CompleteAsync(id, TaskStatuses.Succeeded, [new TaskOutput($"s3://{fixture.OutputBucket}/outputs/{id}/{id}-0.png", 1)],
            null, null, DateTimeOffset.UtcNow, CancellationToken.None);

        var view = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");

        Assert.Null((await fixture.Tasks.GetAsync(id, CancellationToken.None))!.RetentionDays);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("outputs_expire_at").ValueKind);
    }

    [Fact]
    public async Task AnExpiresAfterOutsideTheLimitsIsAFieldError()
    {
        var response = await fixture.Client().PostAsJsonAsync("/v1/tasks", new { prompt = "too short", expires_after = 60 });

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("expires_after", errors.Keys);
    }

    [Fact]
    public async Task TheSameIdempotencyKeyWithAnotherExpiresAfterIsAConflict()
    {
        using var client = fixture.Client();
        var key = Guid.NewGuid().ToString("N");
        using var first = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = JsonContent.Create(new { prompt = "same", expires_after = 7200 }) };
        first.Headers.Add("Idempotency-Key", key);
        using var second = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = JsonContent.Create(new { prompt = "same", expires_after = 86400 * 7 }) };
        second.Headers.Add("Idempotency-Key", key);

        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(first)).StatusCode);
        var conflict = await client.SendAsync(second);

        await ProblemAssert.IsProblemAsync(conflict, HttpStatusCode.Conflict);
    }
}
