namespace SdServerless.Infrastructure.Tests.Manifests;

/// <summary>The manifests rendered for the example's three runtimes validate against their schemas and do not collide.</summary>
public sealed class ManifestRenderingTests(InfraTools tools) : IClassFixture<InfraTools>
{
    private static readonly string[] Runtimes = ["sdruntime", "sdwebui", "comfyui"];

    [Fact]
    public async Task ManifestsForThreeRuntimesAreValidAndConflictFree()
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);

        var report = await new ManifestValidator(tools).ValidateAsync(rendered.Files);

        Assert.True(report.Errors.Count == 0, string.Join('\n', report.Errors));
        foreach (var runtime in Runtimes)
        {
            foreach (var kind in new[] { "ServiceAccount", "Deployment", "ScaledObject", "TriggerAuthentication", "PodDisruptionBudget" })
            {
                Assert.Contains(report.Objects, o => o.Kind == kind && o.Name == $"gpu-worker-{runtime}" && o.Namespace == "sdserverless");
            }
        }

        Assert.Contains(report.Objects, o => o.Kind == "NodePool" && o.Name == "gpu");
        Assert.Contains(report.Objects, o => o is { Kind: "Deployment", Name: "adot-collector", Namespace: "observability" });
        Assert.Equal(report.Objects.Count, report.Objects.DistinctBy(o => (o.ApiVersion, o.Kind, o.Namespace, o.Name)).Count());
    }

    [Fact]
    public async Task TheValidatorRejectsTwoRuntimesRenderedWithTheSameNames()
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        using var temp = new TempDirectory();
        var copy = temp.Write("copy.yaml", File.ReadAllText(rendered.Files.Single(f => f.EndsWith("worker-sdruntime.yaml", StringComparison.Ordinal)))
            .Replace("scaleOnInFlight", "scaleOnInflight", StringComparison.Ordinal)
            .Replace("terminationGracePeriodSeconds", "terminationGracePeriod", StringComparison.Ordinal));

        var report = await new ManifestValidator(tools).ValidateAsync([.. rendered.Files, copy]);

        Assert.Contains(report.Errors, e => e.Contains("Deployment 'gpu-worker-sdruntime' conflicts with", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Contains("its selector also matches the pods of", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Contains("spec.template.spec.terminationGracePeriod: unknown field", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Contains("scaleOnInflight: not an aws-sqs-queue parameter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheValidatorRejectsSchemaViolationsInCustomResources()
    {
        using var temp = new TempDirectory();
        var file = temp.Write("bad.yaml", """
            apiVersion: v1
            kind: Namespace
            metadata: { name: sdserverless }
            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: { name: Bad_Name, namespace: sdserverless }
            spec:
              minReplicaCount: none
              triggers: [{ type: aws-sqs-queue, metadata: { queueLength: "two" } }]
            ---
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata: { name: gpu }
            spec:
              template:
                spec:
                  requirements: [{ key: karpenter.sh/capacity-type, operator: Among, values: [spot] }]
            """);

        var report = await new ManifestValidator(tools).ValidateAsync([file]);

        Assert.Contains(report.Errors, e => e.Contains("spec.minReplicaCount: must be integer", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Contains("spec: must have required property scaleTargetRef", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Contains("metadata.name 'Bad_Name' must be lowercase kebab case", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Contains("queueLength: must be a whole number in a string", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Contains("spec.template.spec: must have required property nodeClassRef", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Contains("operator: must be equal to one of the allowed values", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheOnnxWorkerDeploymentCarriesTheQueueAgentContract()
    {
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);

        var pod = rendered.Pod("sdruntime");
        var container = pod["containers"]![0]!;
        var env = container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);

        Assert.True((long)pod["terminationGracePeriodSeconds"]! >= 120);
        Assert.True(long.Parse(env["Worker__ShutdownBudgetSeconds"], System.Globalization.CultureInfo.InvariantCulture) < (long)pod["terminationGracePeriodSeconds"]!);
        Assert.Equal("1", (string?)container["resources"]!["limits"]!["nvidia.com/gpu"]);
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal(8080L, (long)container["ports"]![0]!["containerPort"]!);
        Assert.Equal("sdruntime", env["Worker__Runtime"]);
        Assert.Equal("https://sqs.us-east-1.amazonaws.com/123456789012/sdserverless-sdruntime", env["Worker__QueueUrl"]);
        Assert.Equal("s3://sdserverless-outputs-123456789012-us-east-1/models/sdruntime/", env["Worker__Model"]);
        Assert.Equal("sdserverless-outputs-123456789012-us-east-1", env["Resources__OutputBucket"]);
        Assert.Equal("sdserverless-tasks", env["Resources__TasksTable"]);
        Assert.Equal("arn:aws:sns:us-east-1:123456789012:sdserverless-results", env["Resources__ResultsTopicArn"]);
        Assert.Equal("http://adot-collector.observability:4317", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal(env["Worker__ModelCacheDirectory"], (string?)container["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "model-cache")!["mountPath"]);
        Assert.NotNull(pod["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "model-cache")!["emptyDir"]);
    }

    [Fact]
    public async Task TheRendererNamesTheBadSetting()
    {
        using var temp = new TempDirectory();
        var settings = JsonNode.Parse(File.ReadAllText(RenderedManifests.ExampleSettings))!.AsObject();
        settings["runtimes"] = new JsonArray("sdruntime", "SD_XL");
        var file = temp.Write("settings.json", settings.ToJsonString());

        var result = await tools.RenderAsync("--settings", file, "--image", RenderedManifests.Image, "--out", temp.Combine("out"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'runtimes' holds 'SD_XL'", result.StandardError, StringComparison.Ordinal);
    }
}
