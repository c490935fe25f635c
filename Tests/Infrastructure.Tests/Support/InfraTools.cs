namespace SdServerless.Infrastructure.Tests.Support;

/// <summary>Runs the node scripts in tools/infra after installing their pinned packages (install.sh, guarded by flock).</summary>
public sealed class InfraTools : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public string ToolsDirectory { get; } = RepositoryRoot.Combine("tools", "infra");

    public async Task InitializeAsync()
    {
        var install = await ProcessRunner.RunAsync("bash", [Path.Combine(ToolsDirectory, "install.sh")], ToolsDirectory, Timeout);
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"tools/infra/install.sh failed: {install}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public Task<ProcessResult> NodeAsync(string script, params string[] arguments) =>
        ProcessRunner.RunAsync("node", [Path.Combine(ToolsDirectory, script), .. arguments], RepositoryRoot.Path, Timeout);
}
