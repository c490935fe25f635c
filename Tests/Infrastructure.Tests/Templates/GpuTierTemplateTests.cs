using System.Text.RegularExpressions;
using SdServerless.Infrastructure.Tests.Manifests;

namespace SdServerless.Infrastructure.Tests.Templates;

/// <summary>The GPU tier template agrees with the rendered manifests and with the serverless stack's exports.</summary>
public sealed partial class GpuTierTemplateTests(InfraTools tools) : IClassFixture<InfraTools>
{
    private static readonly string TemplateFile = RepositoryRoot.Combine("Infrastructure", "gpu-tier.yaml");

    private static readonly string[] ExampleRuntimes = ["sdruntime", "sdwebui", "comfyui"];

    /// <summary>The template expanded for the runtimes of Infrastructure/k8s/settings.example.json.</summary>
    private async Task<JsonObject> ExpandForExampleRuntimesAsync()
    {
        using var temp = new TempDirectory();
        var text = File.ReadAllText(TemplateFile);
        Assert.Contains("    Default: sdruntime\n", text, StringComparison.Ordinal);
        var file = temp.Write("gpu-tier.yaml", text.Replace("    Default: sdruntime\n", $"    Default: {string.Join(',', ExampleRuntimes)}\n", StringComparison.Ordinal));
        return await new TemplateValidator(tools).ExpandAsync(file);
    }

    [Fact]
    public async Task PodIdentityAssociationsNameTheServiceAccountsTheManifestsCreate()
    {
        var template = await ExpandForExampleRuntimesAsync();
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);
        var accounts = rendered.Objects().Where(o => (string?)o["kind"] == "ServiceAccount")
            .Select(o => $"{o["metadata"]!["namespace"]}/{o["metadata"]!["name"]}").ToHashSet();
        var defaultNamespace = (string)template["Parameters"]!["WorkerNamespace"]!["Default"]!;

        var associations = Resources(template, "AWS::EKS::PodIdentityAssociation")
            .Select(r => r.Value!["Properties"]!)
            .Select(p => $"{Literal(p["Namespace"]!, defaultNamespace)}/{Literal(p["ServiceAccount"]!, defaultNamespace)}")
            .ToList();

        Assert.Equal(["keda/keda-operator", "observability/adot-collector", "sdserverless/gpu-worker-comfyui", "sdserverless/gpu-worker-sdruntime", "sdserverless/gpu-worker-sdwebui"], associations.Order(StringComparer.Ordinal));
        Assert.All(associations.Where(a => !a.StartsWith("keda/", StringComparison.Ordinal)), a => Assert.Contains(a, accounts));
    }

    [Fact]
    public async Task EachWorkerRoleReachesOnlyItsOwnQueue()
    {
        var template = await ExpandForExampleRuntimesAsync();

        foreach (var runtime in ExampleRuntimes)
        {
            var role = template["Resources"]![$"WorkerRole{runtime.Replace("-", "", StringComparison.Ordinal)}"]!;
            var statements = role["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
            var queue = statements.Single(s => (string?)s!["Sid"] == "OwnQueue")!;
            // Its queue per priority (docs/decisions/0336), and no other.
            Assert.Equal([$":${{ServerlessStackName}}-{runtime}", $":${{ServerlessStackName}}-{runtime}-high", $":${{ServerlessStackName}}-{runtime}-low"],
                queue["Resource"]!.AsArray().Select(arn => ((string)arn!["Fn::Sub"]!)[((string)arn!["Fn::Sub"]!).LastIndexOf(':')..]));
            Assert.DoesNotContain(statements, s => s!["Action"]!.ToJsonString().Contains('*', StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task EachWorkerRoleMayTagTheOutputsItWrites()
    {
        var template = await ExpandForExampleRuntimesAsync();

        foreach (var runtime in ExampleRuntimes)
        {
            var role = template["Resources"]![$"WorkerRole{runtime.Replace("-", "", StringComparison.Ordinal)}"]!;
            var statement = role["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray().Single(s => (string?)s!["Sid"] == "WriteAndReadOutputs")!;

            // A PutObject with x-amz-tagging (the retention tag, docs/decisions/0347) needs s3:PutObjectTagging as well.
            Assert.Equal(["s3:GetObject", "s3:PutObject", "s3:PutObjectTagging"], statement["Action"]!.AsArray().Select(a => (string)a!).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task EachRuntimesModelPrefixIsWhereItsWorkerRoleMayRead()
    {
        var template = await ExpandForExampleRuntimesAsync();
        using var rendered = await RenderedManifests.RenderAsync(tools, RenderedManifests.ExampleSettings);

        foreach (var runtime in ExampleRuntimes)
        {
            var pod = rendered.Pod(runtime);
            var model = pod["initContainers"]?.AsArray().SingleOrDefault(c => (string?)c!["name"] == "model-sync") is { } sync
                ? (string)sync["command"]![3]!
                : (string)pod["containers"]![0]!["env"]!.AsArray().Single(e => (string?)e!["name"] == "Worker__Model")!["value"]!;
            var role = template["Resources"]![$"WorkerRole{runtime.Replace("-", "", StringComparison.Ordinal)}"]!;
            var statement = role["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray().Single(s => (string?)s!["Sid"] == "ReadInputsAndModel")!;
            var granted = statement["Resource"]!.AsArray().Select(r => (string)r!["Fn::Sub"]![0]!).Single(r => r.Contains("/models/", StringComparison.Ordinal));

            Assert.Equal($"arn:${{AWS::Partition}}:s3:::${{Bucket}}/models/{runtime}/*", granted);
            Assert.StartsWith($"s3://sdserverless-outputs-123456789012-us-east-1/models/{runtime}/", model, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WorkerSettingsOutputHasExactlyTheFieldsTheRendererReads()
    {
        var template = await ExpandForExampleRuntimesAsync();
        var output = template["Outputs"]!["WorkerSettings"]!["Value"]!["Fn::ToJsonString"]!.AsObject();
        var example = JsonNode.Parse(File.ReadAllText(RenderedManifests.ExampleSettings))!.AsObject();

        Assert.Equal(example.Select(p => p.Key).Order(StringComparer.Ordinal), output.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryImportNamesAnExportOfTheServerlessStack()
    {
        var serverless = RepositoryRoot.Combine("serverless.template");
        Assert.True(File.Exists(serverless), "serverless.template is at the repository root");
        var exports = ExportName().Matches(File.ReadAllText(serverless)).Select(m => m.Groups["name"].Value).ToHashSet();
        var imports = ImportName().Matches(File.ReadAllText(TemplateFile)).Select(m => m.Groups["name"].Value).ToHashSet();

        Assert.NotEmpty(imports);
        Assert.Subset(exports, imports);
    }

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Resources(JsonObject template, string type) =>
        template["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == type);

    private static string Literal(JsonNode value, string namespaceDefault) => value switch
    {
        JsonValue text => (string)text!,
        JsonObject o when o.ContainsKey("Ref") => namespaceDefault,
        JsonObject o when o.ContainsKey("Fn::Sub") => (string)o["Fn::Sub"]!,
        _ => throw new InvalidOperationException($"unexpected value {value.ToJsonString()}"),
    };

    [GeneratedRegex(@"^\s+Name: !Sub ""\$\{AWS::StackName\}-(?<name>\w+)""", RegexOptions.Multiline)]
    private static partial Regex ExportName();

    [GeneratedRegex(@"""Fn::ImportValue"": !Sub ""\$\{ServerlessStackName\}-(?<name>\w+)""")]
    private static partial Regex ImportName();
}
