namespace SdServerless.Infrastructure.Tests.Support;

/// <summary>
/// Runs the validators in tools/infra and the manifest renderer in Infrastructure/k8s after installing each folder's
/// pinned packages (tools/npm-ci-if-stale.sh, guarded by flock).
/// </summary>
public sealed class InfraTools : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public string ToolsDirectory { get; } = RepositoryRoot.Combine("tools", "infra");

    public string RendererDirectory { get; } = RepositoryRoot.Combine("Infrastructure", "k8s");

    public async Task InitializeAsync()
    {
        foreach (var folder in new[] { ToolsDirectory, RendererDirectory })
        {
            var install = await ProcessRunner.RunAsync("bash", [RepositoryRoot.Combine("tools", "npm-ci-if-stale.sh"), folder], RepositoryRoot.Path, Timeout);
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {folder} failed: {install}");
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Runs one of the validators in tools/infra.</summary>
    public Task<ProcessResult> NodeAsync(string script, params string[] arguments) =>
        ProcessRunner.RunAsync("node", [Path.Combine(ToolsDirectory, script), .. arguments], RepositoryRoot.Path, Timeout);

    /// <summary>Runs Infrastructure/k8s/render.mjs.</summary>
    public Task<ProcessResult> RenderAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("node", [Path.Combine(RendererDirectory, "render.mjs"), .. arguments], RepositoryRoot.Path, Timeout);
}
