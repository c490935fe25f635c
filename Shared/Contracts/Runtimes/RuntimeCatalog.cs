using System.Text.Json;
using System.Text.RegularExpressions;

namespace SdServerless.Contracts.Runtimes;

/// <summary>
/// The runtime catalogue (<c>runtimes.json</c>): every runtime's type, model and limits, read by the API, the worker,
/// the local provisioning and the GPU tier's renderer from the same file. Loading checks it whole and names each fault.
/// </summary>
public sealed partial class RuntimeCatalog
{
    /// <summary>The file name the catalogue has in the repository and beside each deployable.</summary>
    public const string FileName = "runtimes.json";

    /// <summary>The configuration key that points at another catalogue file (<c>RuntimeCatalog__Path</c>).</summary>
    public const string PathSetting = "RuntimeCatalog:Path";

    /// <summary>The configured path, else the copy beside the running program.</summary>
    public static string PathFrom(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? Path.Combine(AppContext.BaseDirectory, FileName) : configured;

    private RuntimeCatalog(IReadOnlyList<RuntimeDefinition> runtimes) => Runtimes = runtimes;

    public IReadOnlyList<RuntimeDefinition> Runtimes { get; }

    public IReadOnlyList<string> Names => [.. Runtimes.Select(r => r.Name)];

    public RuntimeDefinition? Find(string name) => Runtimes.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    /// <summary>The definition of <paramref name="name"/>; throws when the catalogue has none (a deployment names a runtime the catalogue lacks).</summary>
    public RuntimeDefinition Get(string name) =>
        Find(name) ?? throw new RuntimeCatalogException($"Runtime '{name}' is not in the runtime catalogue; it has: {string.Join(", ", Names)}.");

    /// <summary>The catalogue narrowed to the runtimes a stack deploys, in the catalogue's order; each must be defined.</summary>
    public RuntimeCatalog Deployed(IEnumerable<string> names)
    {
        var wanted = names.ToList();
        foreach (var name in wanted)
        {
            Get(name);
        }
        return new RuntimeCatalog([.. Runtimes.Where(r => wanted.Contains(r.Name, StringComparer.Ordinal))]);
    }

    public static RuntimeCatalog Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new RuntimeCatalogException($"The runtime catalogue {path} does not exist.");
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static RuntimeCatalog Parse(string json, string source = FileName)
    {
        RuntimeCatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, RuntimeCatalogJsonContext.Default.RuntimeCatalogDocument);
        }
        catch (JsonException ex)
        {
            throw new RuntimeCatalogException($"{source} is not a valid runtime catalogue: {ex.Message}");
        }
        var runtimes = document?.Runtimes ?? [];
        var faults = Check(runtimes).ToList();
        if (faults.Count > 0)
        {
            throw new RuntimeCatalogException($"{source}: {string.Join(" ", faults)}");
        }
        return new RuntimeCatalog(runtimes);
    }

    public static RuntimeCatalog Of(params RuntimeDefinition[] runtimes)
    {
        var faults = Check(runtimes).ToList();
        return faults.Count == 0 ? new RuntimeCatalog(runtimes) : throw new RuntimeCatalogException(string.Join(" ", faults));
    }

    private static IEnumerable<string> Check(IReadOnlyList<RuntimeDefinition> runtimes)
    {
        if (runtimes.Count == 0)
        {
            yield return "runtimes must list at least one runtime.";
        }
        foreach (var duplicate in runtimes.GroupBy(r => r.Name).Where(g => g.Count() > 1))
        {
            yield return $"runtime '{duplicate.Key}' is defined more than once.";
        }
        foreach (var runtime in runtimes)
        {
            var at = $"runtime '{runtime.Name}':";
            if (!NamePattern().IsMatch(runtime.Name ?? ""))
            {
                yield return $"{at} name must be 1 to 40 lowercase letters, digits or '-'.";
            }
            if (!RuntimeTypes.All.Contains(runtime.Type, StringComparer.Ordinal))
            {
                yield return $"{at} type must be one of {string.Join(", ", RuntimeTypes.All)}; got '{runtime.Type}'.";
            }
            var servable = RuntimeTypes.ServedBy(runtime.Type);
            foreach (var taskType in runtime.TaskTypes.Where(t => !servable.Contains(t, StringComparer.Ordinal)))
            {
                yield return $"{at} a {runtime.Type} runtime cannot serve '{taskType}'; it serves {string.Join(", ", servable)}.";
            }
            if (runtime.TaskTypes.Count == 0)
            {
                yield return $"{at} taskTypes must name at least one task type.";
            }
            if (runtime.Size is not { Multiple: >= 8, Min: >= 8 } size || size.Min > size.Max || size.Min % size.Multiple != 0 || size.Max > 8192)
            {
                yield return $"{at} size must have multiple >= 8, min a multiple of it, min <= max <= 8192.";
            }
            if (runtime.MaxSteps is < 1 or > 1000)
            {
                yield return $"{at} maxSteps must be 1 to 1000.";
            }
            if (runtime.MaxBatchSize is < 1 or > 64)
            {
                yield return $"{at} maxBatchSize must be 1 to 64.";
            }
            if (!float.IsFinite(runtime.MaxCfgScale) || runtime.MaxCfgScale < 0)
            {
                yield return $"{at} maxCfgScale must be a non-negative number.";
            }
            if (runtime.MaxInputBytes is < 1 or > 5L * 1024 * 1024 * 1024)
            {
                yield return $"{at} maxInputBytes must be 1 to 5 GiB (one S3 PUT).";
            }
            if (!double.IsFinite(runtime.MaxInputMegapixels) || runtime.MaxInputMegapixels <= 0 || runtime.MaxInputMegapixels > 268)
            {
                yield return $"{at} maxInputMegapixels must be more than 0 and at most 268.";
            }
            if (runtime.Price is { } price && (price.InstanceHourUsd < 0 || price.ConcurrentTasks < 1))
            {
                yield return $"{at} price needs instanceHourUsd >= 0 and concurrentTasks >= 1.";
            }
            if (runtime.Type != RuntimeTypes.ComfyUi && runtime.Samplers.Count == 0
                && runtime.TaskTypes.Any(t => t is Tasks.TaskTypes.TextToImage or Tasks.TaskTypes.ImageToImage))
            {
                yield return $"{at} samplers must list the samplers its generator implements.";
            }
            if (runtime.DynamicModel && runtime.Type != RuntimeTypes.A1111)
            {
                yield return $"{at} dynamicModel applies to a1111 runtimes only.";
            }
            if (runtime.Workflows is { } workflows)
            {
                if (runtime.Type != RuntimeTypes.ComfyUi)
                {
                    yield return $"{at} workflows applies to comfyui runtimes only.";
                }
                if (workflows.NodeClasses is { } classes && (classes.Count == 0 || classes.Any(string.IsNullOrWhiteSpace)))
                {
                    yield return $"{at} workflows.nodeClasses must list at least one node class name.";
                }
                if (workflows.MaxOutputs is < 1 or > RuntimeWorkflows.MaxOutputsCeiling)
                {
                    yield return $"{at} workflows.maxOutputs must be 1 to {RuntimeWorkflows.MaxOutputsCeiling} (every output is listed in the result message).";
                }
                if (workflows.MaxOutputBytes is < 1 or > RuntimeWorkflows.MaxOutputBytesCeiling)
                {
                    yield return $"{at} workflows.maxOutputBytes must be 1 to {RuntimeWorkflows.MaxOutputBytesCeiling}.";
                }
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex NamePattern();
}
