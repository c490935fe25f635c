using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.LocalAws.Emulators;

using SdServerless.TestSupport;

namespace SdServerless.Functions.Tests.Apis;

/// <summary>
/// Runs the built app as its own process with exactly what the AppHost gives it: the stack's service environment plus
/// <c>Api__LocalDevMode=true</c>, no API keys configured.
/// </summary>
[Collection(ApiCollection.Name)]
public class LocalDevModeTests(ApiFixture fixture)
{
    [Fact]
    public async Task AppStartedLikeTheAppHostAcceptsTheLocalDevKeyAndLoopbackCallbacks()
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet", [FunctionsAssembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(FunctionsAssembly())!,
        };
        foreach (var (name, value) in fixture.Stack.ServiceEnvironment())
        {
            start.Environment[name] = value;
        }
        start.Environment["Api__LocalDevMode"] = "true";
        start.Environment["RuntimeCatalog__Path"] = ApiFixture.CatalogPath;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitForHealthAsync(client, process);
            client.DefaultRequestHeaders.Add("x-api-key", "local-dev-key");

            var response = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "local", callback_url = "http://127.0.0.1:5999/hook" });

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var task = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");
            Assert.Equal("http://127.0.0.1:5999/hook", task.GetProperty("callback_url").GetString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task WaitForHealthAsync(HttpClient client, Process process)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            Assert.False(process.HasExited, "The Functions app exited during startup.");
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("The Functions app never answered /healthz.");
    }

    private static string FunctionsAssembly()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(RepositoryLayout.Root, "Functions", "bin", configuration, "net10.0", "SdServerless.Functions.dll");
        Assert.True(File.Exists(path), $"{path} is missing; build Functions first.");
        return path;
    }
}
