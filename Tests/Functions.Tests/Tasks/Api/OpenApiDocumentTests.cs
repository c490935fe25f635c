using System.Net;
using System.Text.Json;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.LocalAws.Emulators;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class OpenApiDocumentTests(ApiFixture fixture)
{
    private static string CommittedPath => Path.Combine(RepositoryLayout.Root, "Functions", "openapi", "v1.json");

    /// <summary>Keeps the committed copy current: a changed API rewrites the file, and the test fails until it is committed.</summary>
    [Fact]
    public async Task CommittedOpenApiDocumentMatchesTheApp()
    {
        using var client = fixture.Client(apiKey: null);

        var served = await client.GetStringAsync("/openapi/v1.json");

        var normalized = JsonSerializer.Serialize(JsonDocument.Parse(served).RootElement, new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
        var committed = File.Exists(CommittedPath) ? File.ReadAllText(CommittedPath).ReplaceLineEndings("\n") : "";
        if (committed != normalized)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CommittedPath)!);
            File.WriteAllText(CommittedPath, normalized);
        }
        Assert.True(committed == normalized, $"{CommittedPath} was out of date and has been rewritten; commit it.");
        foreach (var path in new[] { "/v1/tasks", "/v1/tasks/{id}", "/v1/runtimes", "/v1alpha2" })
        {
            Assert.Contains($"\"{path}\"", served);
        }
    }

    /// <summary>Bodies are read with strict number handling, so the document must not promise that numbers may be strings.</summary>
    [Fact]
    public async Task IntegerFieldsAreDocumentedAsIntegersOnly()
    {
        using var client = fixture.Client(apiKey: null);

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var request = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("SubmitTaskRequest").GetProperty("properties");
        foreach (var field in new[] { "width", "height", "steps", "batch_size", "seed" })
        {
            var type = request.GetProperty(field).GetProperty("type");
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToList() : [type.GetString()];
            Assert.DoesNotContain("string", types);
            Assert.Contains("integer", types);
        }
    }

    [Fact]
    public async Task NumbersSentAsStringsAreRefusedWithTheFieldNamed()
    {
        using var client = fixture.Client();

        using var response = await client.PostAsync("/v1/tasks", new StringContent("""{"prompt":"x","width":"512"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("width", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DocsPageIsServed()
    {
        using var client = fixture.Client(apiKey: null);

        var response = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(html.Contains("openapi/v1.json", StringComparison.Ordinal), html);
    }
}
