namespace SdServerless.Infrastructure.Tests.Manifests;

/// <summary>Each runtime type renders the pod it needs, with what the catalogue says about that runtime.</summary>
public sealed class RuntimePodTests(InfraTools tools) : IClassFixture<InfraTools>
{
    private static readonly JsonObject Catalogue = JsonNode.Parse(File.ReadAllText(RenderedManifests.ExampleCatalogue))!.AsObject();

    private static JsonNode Gpu(string runtime) => Catalogue["runtimes"]!.AsArray().Single(r => (string?)r!["name"] == runtime)!["gpu"]!;

    private static Dictionary<string, string> Env(JsonNode container) =>
        container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);

    private static JsonNode Named(JsonNode? containers, string name) => containers!.AsArray().Single(c => (string?)c!["name"] == name)!;

    private static string[] Names(JsonNode? containers) => containers?.AsArray().Select(c => (string)c!["name"]!).ToArray() ?? [];

    [Fact]
    public async Task AnOnnxRuntimeRunsTheWorkerAloneWithTheGpu()
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        var pod = rendered.Pod("sdruntime");

        Assert.Empty(Names(pod["initContainers"]));
        var worker = Named(pod["containers"], "gpu-worker");
        Assert.Equal(RenderedManifests.Image, (string?)worker["image"]);
        Assert.Equal("1", (string?)worker["resources"]!["limits"]!["nvidia.com/gpu"]);
        Assert.Equal("cuda", Env(worker)["Diffusion__ExecutionProvider"]);
        Assert.DoesNotContain("Worker__Backend", Env(worker).Keys);
    }

    [Theory]
    [InlineData("sdwebui", "a1111", "A1111__BaseUrl", "http://127.0.0.1:7860", "/sdapi/v1/sd-models")]
    [InlineData("comfyui", "comfyui", "ComfyUi__BaseUrl", "http://127.0.0.1:8188", "/system_stats")]
    public async Task AServerRuntimeRunsTheAgentBesideItsServerSidecar(string runtime, string type, string baseUrlSetting, string baseUrl, string probePath)
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        var pod = rendered.Pod(runtime);

        // 1. The model is synced first, then the server starts as a native sidecar, then the agent.
        Assert.Equal(["model-sync", type], Names(pod["initContainers"]));
        Assert.Equal(["gpu-worker"], Names(pod["containers"]));
        var sync = Named(pod["initContainers"], "model-sync");
        var server = Named(pod["initContainers"], type);
        var agent = Named(pod["containers"], "gpu-worker");
        Assert.Null(sync["restartPolicy"]);
        Assert.Equal("Always", (string?)server["restartPolicy"]);

        // 2. The server's image is the catalogue's; it holds the GPU and reads the synced models.
        Assert.Equal((string?)Gpu(runtime)["image"], (string?)server["image"]);
        Assert.Equal("1", (string?)server["resources"]!["limits"]!["nvidia.com/gpu"]);
        Assert.Null(agent["resources"]!["limits"]!["nvidia.com/gpu"]);
        var models = (string)Named(sync["volumeMounts"], "models")["mountPath"]!;
        Assert.Equal(models, ((JsonArray)sync["command"]!).Select(a => (string?)a).ElementAt(4));
        Assert.Equal($"s3://sdserverless-outputs-123456789012-us-east-1/models/{runtime}/", (string?)sync["command"]![3]);
        Assert.NotNull(Named(server["volumeMounts"], "models")["mountPath"]);

        // 3. The kubelet starts the agent only once the server answers on the route the agent calls (checked inside the
        //    server's container: it listens on 127.0.0.1 only).
        var startup = server["startupProbe"]!;
        Assert.Contains($"'{baseUrl}{probePath}'", (string?)startup["exec"]!["command"]![2]);
        Assert.True((long)startup["periodSeconds"]! * (long)startup["failureThreshold"]! >= 600, "a checkpoint load gets at least 10 minutes");

        // 4. The agent is told which backend it fronts and where that is.
        var env = Env(agent);
        Assert.Equal(type, env["Worker__Backend"]);
        Assert.Equal(baseUrl, env[baseUrlSetting]);
        Assert.Equal(runtime, env["Worker__Runtime"]);
        Assert.Equal("/readyz", (string?)agent["readinessProbe"]!["httpGet"]!["path"]);
        Assert.DoesNotContain("Worker__Model", env.Keys);

        // 5. The agent and the sync run as the GpuWorker's non-root user; the server's image picks its own.
        Assert.Equal(1654L, (long)agent["securityContext"]!["runAsUser"]!);
        Assert.Equal(1654L, (long)sync["securityContext"]!["runAsUser"]!);
        Assert.Null(pod["securityContext"]!["runAsUser"]);
    }

    [Theory]
    [InlineData("sdwebui", "a1111", "--server-name")]
    [InlineData("comfyui", "comfyui", "--listen")]
    public async Task TheRuntimeServerHoldsNoAwsCredentialsListensOnLoopbackOnlyAndThePodAdmitsNoConnection(string runtime, string type, string listenFlag)
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        var deployment = rendered.Single("Deployment", $"gpu-worker-{runtime}");
        var template = deployment["spec"]!["template"]!;
        var pod = template["spec"]!;
        var server = Named(pod["initContainers"], type);

        // 1. EKS Pod Identity skips the server: its credentials reach the agent and the model sync only.
        Assert.Equal(type, (string?)template["metadata"]!["annotations"]!["eks.amazonaws.com/skip-containers"]);
        Assert.DoesNotContain("model-sync", ((string)template["metadata"]!["annotations"]!["eks.amazonaws.com/skip-containers"]!).Split(','));
        Assert.DoesNotContain("gpu-worker", ((string)template["metadata"]!["annotations"]!["eks.amazonaws.com/skip-containers"]!).Split(','));
        Assert.False((bool)pod["automountServiceAccountToken"]!);
        Assert.DoesNotContain(server["env"]?.AsArray() ?? [], e => ((string)e!["name"]!).StartsWith("AWS_", StringComparison.Ordinal));

        // 2. The server listens on 127.0.0.1 only and publishes no port.
        var args = server["args"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal("127.0.0.1", args[args.IndexOf(listenFlag) + 1]);
        Assert.Null(server["ports"]);
        Assert.All(new[] { "startupProbe", "livenessProbe", "readinessProbe" }, probe => Assert.Null(server[probe]!["httpGet"]));

        // 3. A NetworkPolicy selecting exactly these pods admits no connection into them.
        var policy = rendered.Single("NetworkPolicy", $"gpu-worker-{runtime}");
        Assert.Equal(deployment["spec"]!["selector"]!["matchLabels"]!.ToJsonString(), policy["spec"]!["podSelector"]!["matchLabels"]!.ToJsonString());
        Assert.Equal(["Ingress"], policy["spec"]!["policyTypes"]!.AsArray().Select(t => (string?)t));
        Assert.Empty(policy["spec"]!["ingress"]!.AsArray());
        Assert.Equal("true", (string?)rendered.Single("ConfigMap", "amazon-vpc-cni")["data"]!["enable-network-policy-controller"]);
    }

    [Fact]
    public async Task TheComfyUiServerAndTheAgentShareOnlyTheInputAndOutputFolders()
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        var pod = rendered.Pod("comfyui");
        var server = Named(pod["initContainers"], "comfyui");
        var agent = Named(pod["containers"], "gpu-worker");
        var args = server["args"]!.AsArray().Select(a => (string)a!).ToList();
        var workspace = Env(agent)["ComfyUi__WorkspaceDirectory"];

        foreach (var folder in new[] { "input", "output" })
        {
            var path = args[args.IndexOf($"--{folder}-directory") + 1];
            Assert.Equal($"{workspace}/{folder}", path);
            Assert.Equal(path, (string?)Named(server["volumeMounts"], $"comfy-{folder}")["mountPath"]);
            Assert.Equal(path, (string?)Named(agent["volumeMounts"], $"comfy-{folder}")["mountPath"]);
            Assert.NotNull(Named(pod["volumes"], $"comfy-{folder}")["emptyDir"]);
        }
        Assert.DoesNotContain(agent["volumeMounts"]!.AsArray(), m => (string?)m!["name"] == "models");
    }

    [Theory]
    [InlineData("sdwebui", "a1111", "4", "24Gi")]
    [InlineData("comfyui", "comfyui", "4", "20Gi")]
    public async Task ResourcesAndNodeRequirementsComeFromTheCatalogue(string runtime, string gpuContainer, string cpu, string memory)
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        var pod = rendered.Pod(runtime);
        var resources = Named(pod["initContainers"], gpuContainer)["resources"]!;
        var terms = pod["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]!;
        var expressions = Assert.Single(terms.AsArray())!["matchExpressions"]!.AsArray()
            .ToDictionary(e => (string)e!["key"]!, e => e!["values"]!.AsArray().Select(v => (string)v!).ToArray());

        Assert.Equal(cpu, (string?)resources["requests"]!["cpu"]);
        Assert.Equal(memory, (string?)resources["limits"]!["memory"]);
        Assert.Equal(Gpu(runtime)["nodeRequirements"]!["instanceFamilies"]!.AsArray().Select(v => (string)v!), expressions["eks.amazonaws.com/instance-family"]);
        Assert.Equal(Gpu(runtime)["nodeRequirements"]!["capacityTypes"]!.AsArray().Select(v => (string)v!), expressions["karpenter.sh/capacity-type"]);
        Assert.Equal("gpu", (string?)pod["nodeSelector"]!["karpenter.sh/nodepool"]);
    }

    [Fact]
    public async Task TheNodePoolAllowsWhatEveryRuntimeAsksFor()
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        var requirements = rendered.Single("NodePool", "gpu")["spec"]!["template"]!["spec"]!["requirements"]!.AsArray()
            .ToDictionary(e => (string)e!["key"]!, e => e!["values"]!.AsArray().Select(v => (string)v!).ToHashSet());

        foreach (var runtime in new[] { "sdruntime", "sdwebui", "comfyui" })
        {
            var expressions = rendered.Pod(runtime)["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]!.AsArray();
            foreach (var expression in expressions)
            {
                Assert.Subset(requirements[(string)expression!["key"]!], expression["values"]!.AsArray().Select(v => (string)v!).ToHashSet());
            }
        }
    }
}
