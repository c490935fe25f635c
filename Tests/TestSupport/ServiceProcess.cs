using System.Diagnostics;
using System.Text;
using SdServerless.LocalAws.Emulators;

namespace SdServerless.TestSupport;

/// <summary>A built service (the GpuWorker, the Functions app) run as its own process, for what only a process can show: SIGKILL, SIGTERM, a restart.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The GpuWorker, configured with <paramref name="settings"/> (keys in <c>Section:Key</c> form).</summary>
    public static ServiceProcess StartWorker(IReadOnlyDictionary<string, string?> settings) => Start("GpuWorker", "SdServerless.GpuWorker.dll", settings);

    /// <summary>The Functions app, configured with <paramref name="settings"/>.</summary>
    public static ServiceProcess StartFunctions(IReadOnlyDictionary<string, string?> settings) => Start("Functions", "SdServerless.Functions.dll", settings);

    private static ServiceProcess Start(string project, string assembly, IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryLayout.Root, project, "bin", configuration, "net10.0", assembly);
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        return new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}."));
    }

    /// <summary>Waits until the service answers <c>/healthz</c> at <paramref name="baseAddress"/>; fails at once if it exits meanwhile.</summary>
    public async Task WaitForHealthAsync(Uri baseAddress)
    {
        using var probe = new HttpClient { BaseAddress = baseAddress };
        await Eventually.TrueAsync(async () =>
        {
            Xunit.Assert.False(HasExited, $"The service exited during startup: {Output}");
            try
            {
                return (await probe.GetAsync("/healthz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"{baseAddress} to answer /healthz");
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>What Kubernetes sends first when it stops a pod (and what a Spot interruption leads to).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill?.WaitForExit();
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
