using System.Diagnostics;
using System.Text.Json;
using SdServerless.LocalAws.Emulators;

namespace SdServerless.Console.Tests;

/// <summary>
/// Runs one scenario of <c>browser/scenarios.mjs</c>: playwright-core (pinned in <c>browser/package-lock.json</c>)
/// driving Debian's Chromium, on the Node the emulators pin; answers the scenario's <c>RESULT</c> line.
/// </summary>
public static class BrowserScenario
{
    public const string DefaultChromium = "/usr/bin/chromium";

    public static string Folder => Path.Combine(RepositoryLayout.Root, "Tests", "Console.Tests", "browser");

    /// <summary>Where the scenarios save their screenshots: the README shows them.</summary>
    public static string Screenshots => Path.Combine(RepositoryLayout.Root, "docs", "console");

    public static string Chromium => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : DefaultChromium;

    /// <summary>Installs playwright-core when missing or stale, and checks that Chromium is there.</summary>
    public static async Task EnsureInstalledAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {Chromium}. Install Debian's package ('apt-get install -y chromium'; bash .ci/run does it) or set CHROMIUM_PATH.");
        }
        await EmulatorInstallation.EnsureInstalledAsync();
        var script = Path.Combine(RepositoryLayout.Root, "tools", "npm-ci-if-stale.sh");
        var (exitCode, output) = await RunAsync("bash", [script, Folder, "node_modules/playwright-core/package.json"], TimeSpan.FromMinutes(3));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"Installing playwright-core failed (exit {exitCode}): {output}");
        }
    }

    /// <param name="callbackUrl">The callback URL the scenario may enter in the form.</param>
    public static async Task<JsonElement> RunAsync(string scenario, Uri consoleUrl, Uri? callbackUrl = null)
    {
        var (exitCode, output) = await RunAsync(EmulatorInstallation.NodePath,
            [Path.Combine(Folder, "scenarios.mjs"), scenario, consoleUrl.ToString(), Screenshots, callbackUrl?.ToString() ?? ""], TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, $"Browser scenario '{scenario}' failed (exit {exitCode}):\n{output}");
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"Browser scenario '{scenario}' printed no RESULT line:\n{output}");
        return JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Folder,
        };
        start.Environment["CHROMIUM_PATH"] = Chromium;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"timed out after {timeout}\n{await output}\n{await errors}");
        }
        return (process.ExitCode, $"{await output}\n{await errors}".Trim());
    }
}
