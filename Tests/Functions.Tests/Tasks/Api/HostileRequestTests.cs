using System.Net;
using System.Net.Http.Json;
using SdServerless.Functions.Tasks.Api;
using SdServerless.Functions.Tasks.Validation;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

/// <summary>Inputs that can never be valid get a 4xx naming the field, reach no store and create nothing.</summary>
[Collection(ApiCollection.Name)]
public class HostileRequestTests(ApiFixture fixture)
{
    private static readonly string LongId = new('a', 5_000);

    [Fact]
    public async Task GetWithAnImpossibleIdIs422NamingTheId()
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync($"/v1/tasks/{LongId}");

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("5000 characters", Assert.Single(errors["id"]));
    }

    [Fact]
    public async Task CancelWithAnImpossibleIdIs422NamingTheId()
    {
        using var client = fixture.Client();

        using var response = await client.DeleteAsync($"/v1/tasks/{LongId}");

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("id", errors.Keys);
    }

    [Theory]
    [InlineData("bad%20id")]
    [InlineData("%C3%A9t%C3%A9")]
    public async Task IdsWithCharactersNoTaskHasAre422(string id)
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync($"/v1/tasks/{id}");

        Assert.Contains("id", (await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity)).Keys);
    }

    [Fact]
    public async Task AnOverlongCursorIs422NamingTheCursor()
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync($"/v1/tasks?cursor={new string('x', 5_000)}");

        Assert.Contains("cursor", (await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity)).Keys);
    }

    [Fact]
    public async Task AnOverlongIdempotencyKeyIs422()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = JsonContent.Create(new { prompt = "x" }) };
        request.Headers.Add(IdempotencyKeyHeader.Name, new string('k', 5_000));

        using var response = await client.SendAsync(request);

        Assert.Contains(IdempotencyKeyHeader.Name, (await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity)).Keys);
    }

    [Fact]
    public async Task GuidanceContextLargerThanTheLimitIsRefusedAndNothingIsCreated()
    {
        using var client = fixture.Client();
        var id = $"hostile-{Guid.NewGuid():N}";
        var body = new
        {
            task = new
            {
                metadata = new { id, runtime = "sdruntime", tasktype = "text-to-image", context = new { blob = new string('c', InputLimits.MaxMetadataBytes) } },
                content = new { prompt = "x" },
            },
        };

        using var response = await client.PostAsJsonAsync("/v1alpha2", body);

        Assert.Contains("task.metadata.context", (await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity)).Keys);
        var owner = SdServerless.Functions.Hosting.ApiKeyAuthenticator.OwnerOf(System.Text.Encoding.UTF8.GetBytes(ApiFixture.KeyA));
        Assert.Null(await fixture.Tasks.GetAsync(SdServerless.Functions.Tasks.Submission.TaskIds.OwnedBy(owner, id), CancellationToken.None));
    }

    [Fact]
    public async Task SizesTheOnnxRuntimeCannotServeAreRefusedAtSubmit()
    {
        using var client = fixture.Client();

        using var response = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "sdruntime", prompt = "x", width = 72, height = 520 });

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("multiple of 64", errors["width"][0]);
        Assert.Contains("multiple of 64", errors["height"][0]);
    }
}
