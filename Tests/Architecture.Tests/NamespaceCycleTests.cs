namespace SdServerless.Architecture.Tests;

/// <summary>
/// The folders (namespaces) of each deployable and shared assembly depend on each other in one direction only: a cycle
/// between two of them, parent and child included, fails here with its path.
/// </summary>
public sealed class NamespaceCycleTests
{
    [Theory]
    [InlineData("Functions", "SdServerless.Functions")]
    [InlineData("GpuWorker", "SdServerless.GpuWorker")]
    [InlineData("Shared/Contracts", "SdServerless.Contracts")]
    [InlineData("Shared/Aws", "SdServerless.Aws")]
    [InlineData("Shared/ServiceDefaults", "SdServerless.ServiceDefaults")]
    public void NamespacesHaveNoCycles(string projectFolder, string assemblyName)
    {
        var graph = NamespaceDependencies.Read(CompiledAssemblies.PathOf(projectFolder, assemblyName), assemblyName);

        var cycles = NamespaceCycles.Find(graph);

        Assert.True(cycles.Count == 0,
            $"{assemblyName} has {cycles.Count} namespace cycle(s):{Environment.NewLine}{string.Join(Environment.NewLine + Environment.NewLine, cycles)}");
    }

    [Fact]
    public void FindsACycleThatPassesThroughAMethodBody()
    {
        const string root = "SdServerless.Architecture.Tests.Planted";
        var graph = NamespaceDependencies.Read(typeof(NamespaceCycleTests).Assembly.Location, root);

        var cycle = Assert.Single(NamespaceCycles.Find(graph));

        Assert.Contains($"{root}.Left -> {root}.Right   ({root}.Left.Caller uses {root}.Right.Callee)", cycle, StringComparison.Ordinal);
        Assert.Contains($"{root}.Right -> {root}.Left   ({root}.Right.Callee uses {root}.Left.Caller)", cycle, StringComparison.Ordinal);
    }

    [Fact]
    public void ADependencyBothSidesShareIsNoCycle()
    {
        const string root = "SdServerless.Architecture.Tests.Planted";
        var graph = NamespaceDependencies.Read(typeof(NamespaceCycleTests).Assembly.Location, root);

        Assert.Contains($"{root}.Below", graph.Uses($"{root}.Left").Keys);
        Assert.Empty(graph.Uses($"{root}.Below"));
    }
}
