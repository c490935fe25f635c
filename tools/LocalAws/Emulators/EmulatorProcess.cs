using System.Diagnostics;

namespace SdServerless.LocalAws.Emulators;

/// <summary>One running emulator (fauxqs, dynalite or appsync-events) bound to 127.0.0.1; disposing it stops the process.</summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private EmulatorProcess(Process process, string service, Uri endpoint)
    {
        _process = process;
        Service = service;
        Endpoint = endpoint;
    }

    public string Service { get; }

    public Uri Endpoint { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts <paramref name="service"/> ("fauxqs", "dynalite" or "appsync-events") on <paramref name="port"/> (0 = any free port) and waits until it listens.</summary>
    public static async Task<EmulatorProcess> StartAsync(string service, int port = 0, CancellationToken cancellationToken = default)
    {
        await EmulatorInstallation.EnsureInstalledAsync(cancellationToken);
        var start = new ProcessStartInfo(EmulatorInstallation.NodePath,
            [EmulatorInstallation.Launcher, service, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = RepositoryLayout.EmulatorTools,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the {service} emulator.");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith($"READY {service} ", StringComparison.Ordinal))
                {
                    DrainOutput(process);
                    return new EmulatorProcess(process, service, new Uri(line[$"READY {service} ".Length..].Trim()));
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Reported below.
        }
        Kill(process);
        string message;
        lock (errors)
        {
            message = errors.ToString().Trim();
        }
        throw new InvalidOperationException($"The {service} emulator did not start: {message}");
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }

    private static void DrainOutput(Process process) =>
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is not null)
            {
            }
        });

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
