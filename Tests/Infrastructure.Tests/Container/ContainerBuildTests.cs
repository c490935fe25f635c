using System.Text.RegularExpressions;
using SdServerless.Infrastructure.Tests.Manifests;

namespace SdServerless.Infrastructure.Tests.Container;

/// <summary>The image's inputs: build-context.sh publishes what the Dockerfile copies and starts, as the manifests expect.</summary>
public sealed partial class ContainerBuildTests(InfraTools tools) : IClassFixture<InfraTools>
{
    private static readonly string Dockerfile = File.ReadAllText(RepositoryRoot.Combine("Infrastructure", "container", "Dockerfile"));

    [Fact]
    public async Task BuildContextHoldsThePublishedWorkerThatTheDockerfileStarts()
    {
        using var temp = new TempDirectory();
        var context = temp.Combine("context");

        var result = await ProcessRunner.RunAsync("bash", [RepositoryRoot.Combine("Infrastructure", "container", "build-context.sh"), context], RepositoryRoot.Path, TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Dockerfile, File.ReadAllText(Path.Combine(context, "Dockerfile")));
        Assert.Matches(CopyPublish(), Dockerfile);
        var entry = EntryPoint().Match(Dockerfile);
        Assert.True(entry.Success, "ENTRYPOINT runs a dll from /app");
        Assert.True(File.Exists(Path.Combine(context, "publish", entry.Groups["dll"].Value)), $"{entry.Groups["dll"].Value} is not in the published folder");
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(context, "publish", Path.ChangeExtension(entry.Groups["dll"].Value, ".runtimeconfig.json"))))!;
        Assert.Contains(runtimeConfig["runtimeOptions"]!["frameworks"]!.AsArray(), f => (string?)f!["name"] == "Microsoft.AspNetCore.App");
        Assert.False((bool?)runtimeConfig["runtimeOptions"]!["configProperties"]?["System.Globalization.Invariant"] ?? false, "the worker needs ICU for Unicode normalization");
        Assert.Matches(InstallsIcu(), Dockerfile);
    }

    [Fact]
    public async Task ImageRunsAsTheNonRootUserAndPortTheDeploymentExpects()
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        var pod = rendered.Single("Deployment", "gpu-worker-sdruntime")["spec"]!["template"]!["spec"]!;

        var user = long.Parse(User().Match(Dockerfile).Groups["uid"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0, user);
        Assert.Equal(user, (long)pod["securityContext"]!["runAsUser"]!);
        Assert.Equal((long)pod["containers"]![0]!["ports"]![0]!["containerPort"]!, long.Parse(Expose().Match(Dockerfile).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void BaseImagesArePinnedAndTheRuntimeStageIsCudaWithCudnn()
    {
        var images = BaseImage().Matches(Dockerfile).Select(m => m.Groups["image"].Value).ToList();

        Assert.Equal(2, images.Count);
        Assert.All(images, i => Assert.Matches(@"^[\w./-]+:[\w.-]+$", i));
        Assert.DoesNotContain(images, i => i.EndsWith(":latest", StringComparison.Ordinal));
        Assert.Contains(images, i => i.StartsWith("nvidia/cuda:12.", StringComparison.Ordinal) && i.Contains("cudnn-runtime", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^COPY publish/ /app/$", RegexOptions.Multiline)]
    private static partial Regex CopyPublish();

    [GeneratedRegex(@"^ && apt-get install [^\n]*\blibicu\d+\b", RegexOptions.Multiline)]
    private static partial Regex InstallsIcu();

    [GeneratedRegex(@"^ENTRYPOINT \[""dotnet"", ""/app/(?<dll>[\w.]+\.dll)""\]$", RegexOptions.Multiline)]
    private static partial Regex EntryPoint();

    [GeneratedRegex(@"^USER (?<uid>\d+)$", RegexOptions.Multiline)]
    private static partial Regex User();

    [GeneratedRegex(@"^EXPOSE (?<port>\d+)$", RegexOptions.Multiline)]
    private static partial Regex Expose();

    [GeneratedRegex(@"^ARG \w+_IMAGE=(?<image>\S+)$", RegexOptions.Multiline)]
    private static partial Regex BaseImage();
}
