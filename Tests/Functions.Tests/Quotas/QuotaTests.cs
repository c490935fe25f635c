using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Quotas;
using SdServerless.Functions.Tests.Callbacks.Events;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Quotas;

/// <summary>Per-key quotas against the emulators, each test with a key of its own so no other test's tasks count.</summary>
[Collection(ApiCollection.Name)]
public class QuotaTests(ApiFixture fixture)
{
    [Fact]
    public async Task ParallelSubmitsOverTheInFlightQuotaAcceptExactlyTheLimitAndASlotFreesWhenATaskEnds()
    {
        const int limit = 3;
        const int submits = 12;
        await using var key = KeyWithLimits(new() { ["MaxInFlight"] = $"{limit}" }, ("Quotas:InFlightRetryAfterSeconds", "7"), ("Events:Enabled", "true"));
        var client = key.Client;

        var responses = await Task.WhenAll(Enumerable.Range(0, submits).Select(i => SubmitAsync(client, $"race {i}")));

        var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.Accepted).ToList();
        Assert.Equal(limit, accepted.Count);
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Accepted).ToList();
        Assert.Equal(submits - limit, refused.Count);
        foreach (var response in refused)
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.TooManyRequests);
            Assert.Equal(7, response.Headers.RetryAfter?.Delta?.TotalSeconds);
            Assert.Equal(QuotaGate.MaxInFlight, problem.GetProperty("limit").GetString());
            Assert.Equal(limit, problem.GetProperty("limit_value").GetInt32());
        }
        // The accepted tasks are the ones written: nothing was written for a refused submit.
        var ids = await Task.WhenAll(accepted.Select(IdOfAsync));
        Assert.Equal(limit, ids.Distinct().Count());

        // One task ends through the callback flow, which frees its slot, once: a redelivery frees nothing more.
        var ended = (await fixture.Tasks.GetAsync(ids[0], default))!;
        Assert.True(await fixture.Tasks.CompleteAsync(ended.Id, TaskStatuses.Succeeded, [], null, null, key.Clock.GetUtcNow(), default));
        var result = ResultMessages.Event(ResultsQueueArn, ("m1", ResultMessages.Succeeded(ended)), ("m2", ResultMessages.Succeeded(ended)));
        using (var events = await client.PostAsync("/events", new StringContent(result, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        }
        var held = await key.App.Services.GetRequiredService<QuotaCounters>().ReadSlotsAsync(key.Owner, default);
        Assert.Equal(limit - 1, held.Count);
        Assert.DoesNotContain(ended.QuotaSlot, held);

        var again = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => SubmitAsync(client, $"after {i}")));
        Assert.Single(again, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(3, again.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task ParallelSubmitsOverThePerDayQuotaAcceptExactlyTheLimitUntilMidnightUtc()
    {
        const int limit = 2;
        await using var key = KeyWithLimits(new() { ["MaxPerDay"] = $"{limit}" });
        var client = key.Client;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SubmitAsync(client, $"day {i}")));

        Assert.Equal(limit, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        var refused = responses.First(r => r.StatusCode != HttpStatusCode.Accepted);
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(QuotaGate.MaxPerDay, problem.GetProperty("limit").GetString());
        Assert.Equal(limit, problem.GetProperty("current").GetInt32());
        var retryAfter = refused.Headers.RetryAfter!.Delta!.Value;
        var untilMidnight = key.Clock.GetUtcNow().Date.AddDays(1) - key.Clock.GetUtcNow();
        Assert.InRange(retryAfter, untilMidnight - TimeSpan.FromMinutes(1), untilMidnight + TimeSpan.FromMinutes(1));

        // Ended tasks still count for the day.
        foreach (var accepted in responses.Where(r => r.StatusCode == HttpStatusCode.Accepted))
        {
            (await client.DeleteAsync($"/v1/tasks/{await IdOfAsync(accepted)}")).EnsureSuccessStatusCode();
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SubmitAsync(client, "still today")).StatusCode);
    }

    [Fact]
    public async Task ACancelFreesTheSlotAndAReplayOfAnAcceptedSubmitIsNotCountedAgain()
    {
        await using var key = KeyWithLimits(new() { ["MaxInFlight"] = "1" });
        var client = key.Client;

        var first = await SubmitAsync(client, "kept", idempotencyKey: "replayed-key");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var id = await IdOfAsync(first);
        var replay = await SubmitAsync(client, "kept", idempotencyKey: "replayed-key");
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(id, await IdOfAsync(replay));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SubmitAsync(client, "second")).StatusCode);

        (await client.DeleteAsync($"/v1/tasks/{id}")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync(client, "after the cancel")).StatusCode);
    }

    [Fact]
    public async Task ARetryPassesTheSameQuotaAsASubmit()
    {
        await using var key = KeyWithLimits(new() { ["MaxInFlight"] = "1" }, ("Quotas:InFlightRetryAfterSeconds", "9"));
        var client = key.Client;
        var original = await IdOfAsync(await SubmitAsync(client, "to be retried"));
        (await client.DeleteAsync($"/v1/tasks/{original}")).EnsureSuccessStatusCode();
        var running = await IdOfAsync(await SubmitAsync(client, "holds the slot"));

        var refused = await client.PostAsync($"/v1/tasks/{original}/retry", null);

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(9, refused.Headers.RetryAfter?.Delta?.TotalSeconds);
        Assert.Equal(QuotaGate.MaxInFlight, problem.GetProperty("limit").GetString());
        Assert.Equal(1, problem.GetProperty("limit_value").GetInt32());
        Assert.Null((await fixture.Tasks.GetAsync(original, default))!.RetriedBy);

        (await client.DeleteAsync($"/v1/tasks/{running}")).EnsureSuccessStatusCode();
        var retried = await client.PostAsync($"/v1/tasks/{original}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(original, (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retry_of").GetString());
    }

    [Fact]
    public async Task AFullSetFreesSlotsOfTasksThatEndedWithoutTheirReleaseOrWereNeverWritten()
    {
        await using var key = KeyWithLimits(new() { ["MaxInFlight"] = "2" }, ("Quotas:UnwrittenAfter", "00:01:00"));
        var client = key.Client;
        var app = key.App;
        var owner = key.Owner;
        var counters = app.Services.GetRequiredService<QuotaCounters>();
        // A submit that stopped between taking its slot and writing its task, two minutes ago.
        var unwritten = QuotaSlot.For("never-written", key.Clock.GetUtcNow().AddMinutes(-2)).ToString();
        Assert.True(await counters.TryTakeSlotAsync(owner, unwritten, 2, default));
        // A task whose end was written but whose release never came (completed behind the callback flow's back).
        var accepted = await IdOfAsync(await SubmitAsync(client, "ends quietly"));
        var task = (await fixture.Tasks.GetAsync(accepted, default))!;
        Assert.NotNull(task.QuotaSlot);
        Assert.True(await fixture.Tasks.CompleteAsync(accepted, TaskStatuses.Failed, [], new TaskError("x", "y"), null, key.Clock.GetUtcNow(), default));

        // The ended task's slot is young (under UnwrittenAfter), yet its task has ended: freed; so is the old unwritten one.
        Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync(client, "fits again")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync(client, "and again")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SubmitAsync(client, "now full")).StatusCode);
        Assert.DoesNotContain(unwritten, await counters.ReadSlotsAsync(owner, default));
    }

    [Fact]
    public async Task ATaskWhosePublishFailsGivesItsSlotBackButCountsForTheDay()
    {
        await using var key = KeyWithLimits(new() { ["MaxInFlight"] = "1", ["MaxPerDay"] = "5" },
            ("Resources:TasksTopicArn", fixture.Stack.Resources["TasksTopic"].Ref + "-missing"));
        var counters = key.App.Services.GetRequiredService<QuotaCounters>();

        await ProblemAssert.IsProblemAsync(await SubmitAsync(key.Client, "nowhere to go"), HttpStatusCode.ServiceUnavailable);

        Assert.Empty(await counters.ReadSlotsAsync(key.Owner, default));
        await ProblemAssert.IsProblemAsync(await SubmitAsync(key.Client, "nowhere again"), HttpStatusCode.ServiceUnavailable);
        Assert.Equal(2, await counters.ReadDayAsync(key.Owner, key.Clock.Today, default));
    }

    [Fact]
    public async Task AKeyWithoutLimitsIsNotCounted()
    {
        using var client = fixture.Client(ApiFixture.KeyB);

        var response = await SubmitAsync(client, "counted");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null((await fixture.Tasks.GetAsync(await IdOfAsync(response), default))!.QuotaSlot);
        Assert.Empty(await new QuotaCounters(fixture.DynamoDb, fixture.Tasks.TableName).ReadSlotsAsync(ApiKeyAuthenticator.OwnerOf(Encoding.UTF8.GetBytes(ApiFixture.KeyB)), default));
    }

    private string ResultsQueueArn => fixture.Stack.Resources["ResultsQueue"].Attributes["Arn"];

    private QuotaKey KeyWithLimits(Dictionary<string, string> limits, params (string Name, string Value)[] settings)
    {
        var key = $"quota-{Guid.NewGuid():N}";
        var owner = ApiKeyAuthenticator.OwnerOf(Encoding.UTF8.GetBytes(key));
        var overrides = new Dictionary<string, string> { ["Api:ApiKeys:2"] = key };
        foreach (var (name, value) in limits)
        {
            overrides[$"Quotas:Owners:{owner}:{name}"] = value;
        }
        foreach (var (name, value) in settings)
        {
            overrides[name] = value;
        }
        var clock = new MiddayClock();
        var app = fixture.CreateFactory(overrides, services => services.AddSingleton<TimeProvider>(clock));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", key);
        return new QuotaKey(app, client, owner, clock);
    }

    /// <summary>An app whose new API key has the limits, a client sending that key, and the key's owner id.</summary>
    private sealed record QuotaKey(WebApplicationFactory<Program> App, HttpClient Client, string Owner, MiddayClock Clock) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.DisposeAsync();
        }
    }

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string prompt, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = JsonContent.Create(new { prompt, width = 64, height = 64, steps = 2 }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request);
    }

    private static async Task<string> IdOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
}
