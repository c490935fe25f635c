using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Retention;

/// <summary><c>DELETE /v1/tasks/{id}/outputs</c> against the emulators: the presigned URL handed out before stops working.</summary>
[Collection(ApiCollection.Name)]
public class DeleteOutputsTests(ApiFixture fixture)
{
    private static readonly HttpClient Storage = new();

    [Fact]
    public async Task DeletingAFinishedTasksOutputsMakesItsPresignedUrlAnswer404()
    {
        using var client = fixture.Client();
        var id = await SubmitAsync(client);
        var key = $"outputs/{id}/{id}-0.png";
        await fixture.S3.PutObjectAsync(new PutObjectRequest { BucketName = fixture.OutputBucket, Key = key, ContentBody = "png bytes", ContentType = "image/png" });
        Assert.True(await fixture.Tasks.CompleteAsync(id, TaskStatuses.Succeeded, [new TaskOutput($"s3://{fixture.OutputBucket}/{key}", 1)], null, null,
            DateTimeOffset.UtcNow, CancellationToken.None));
        var url = (await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}")).GetProperty("outputs")[0].GetProperty("url").GetString()!;
        using (var before = await Storage.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var deleted = await client.DeleteAsync($"/v1/tasks/{id}/outputs");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var view = await deleted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.String, view.GetProperty("outputs_deleted_at").ValueKind);
        Assert.Equal(0, view.GetProperty("outputs").GetArrayLength());
        using var after = await Storage.GetAsync(url);
        Assert.True(after.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"presigned URL answered {(int)after.StatusCode}");
        var again = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");
        Assert.Equal(view.GetProperty("outputs_deleted_at").GetString(), again.GetProperty("outputs_deleted_at").GetString());
    }

    [Fact]
    public async Task AQueuedTasksOutputsCannotBeDeleted()
    {
        using var client = fixture.Client();
        var id = await SubmitAsync(client);

        var response = await client.DeleteAsync($"/v1/tasks/{id}/outputs");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AnotherKeysTaskIsNotFound()
    {
        var id = await SubmitAsync(fixture.Client(ApiFixture.KeyB));
        await fixture.Tasks.CompleteAsync(id, TaskStatuses.Succeeded, [], null, null, DateTimeOffset.UtcNow, CancellationToken.None);

        var response = await fixture.Client().DeleteAsync($"/v1/tasks/{id}/outputs");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    private static async Task<string> SubmitAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "kept briefly", width = 64, height = 64, steps = 2 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
