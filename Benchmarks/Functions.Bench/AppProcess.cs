using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SdServerless.Functions.Bench;

/// <summary>
/// The published app running on 127.0.0.1 with the stack's environment, as the AppHost runs it (local dev mode). Its
/// own type rather than LocalAws's EmulatorProcess: it is ready on its first 200 from <c>/healthz</c>, timed as the cold
/// start (docs/decisions/0007).
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, Uri address, TimeSpan timeToHealthy)
    {
        _process = process;
        Address = address;
        TimeToHealthy = timeToHealthy;
    }

    public Uri Address { get; }

    /// <summary>From exec to the first 200 on /healthz.</summary>
    public TimeSpan TimeToHealthy { get; }

    public static async Task<AppProcess> StartAsync(AppFlavor flavor, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo(flavor.Executable) { WorkingDirectory = flavor.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        start.Environment["Api__LocalDevMode"] = "true";
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        using var probe = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = address };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The {flavor.Name} app exited with {process.ExitCode} before it was healthy.");
            }
            try
            {
                using var response = await probe.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return new AppProcess(process, address, clock.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(2);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"The {flavor.Name} app was not healthy within 60 s.");
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
