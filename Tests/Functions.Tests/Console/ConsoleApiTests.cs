using System.Net;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Console;

[Collection(ApiCollection.Name)]
public class ConsoleApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task ConsolePageAndScriptsAreEmbeddedAndServedWithoutAKey()
    {
        using var client = fixture.Client(apiKey: null);

        var page = await client.GetAsync("/console/");
        var html = await page.Content.ReadAsStringAsync();
        var script = await client.GetAsync("/console/main.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script type=\"module\" src=\"main.js\">", html);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("import", await script.Content.ReadAsStringAsync());
        Assert.StartsWith("default-src 'none'", string.Join(";", page.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task ConsoleFileNamesCannotReachOutsideTheConsole()
    {
        using var client = fixture.Client(apiKey: null);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/console/..%2Fappsettings.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/console/src/main.ts")).StatusCode);
    }
}
