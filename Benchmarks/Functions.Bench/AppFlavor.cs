using System.Diagnostics;
using SdServerless.LocalAws.Emulators;

namespace SdServerless.Functions.Bench;

/// <summary>One way of building the Functions app: JIT, ReadyToRun or Native AOT, published to its own folder.</summary>
public sealed record AppFlavor(string Name, string[] PublishArguments)
{
    public static readonly IReadOnlyList<string> Names = ["jit", "r2r", "aot"];

    public static AppFlavor Get(string name) => name switch
    {
        "jit" => new(name, ["-c", "Release"]),
        "r2r" => new(name, ["-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true"]),
        "aot" => new(name, ["-c", "Release", "-r", "linux-x64", "-p:PublishAot=true"]),
        _ => throw new ArgumentException($"Unknown flavor '{name}'."),
    };

    public string Directory => Path.Combine(RepositoryLayout.Root, "bench", "Functions.Bench", "bin", "flavors", Name);

    /// <summary>The app's own executable (the apphost for JIT and ReadyToRun, the native binary for AOT).</summary>
    public string Executable => Path.Combine(Directory, "SdServerless.Functions");

    public async Task PublishAsync()
    {
        var project = Path.Combine(RepositoryLayout.Root, "Functions", "Functions.csproj");
        var start = new ProcessStartInfo("dotnet", ["publish", project, .. PublishArguments, "-o", Directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Publishing the {Name} build failed:\n{await output}\n{await errors}");
        }
    }
}
