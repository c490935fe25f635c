using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Tasks;

namespace SdServerless.AppHost;

/// <summary>
/// The catalogue a local run serves: <c>runtimes.json</c> plus the runtimes of <c>LocalRuntimes</c>, each with what its
/// type serves, written to one file that the Functions app and every worker read.
/// </summary>
public static class LocalRuntimeCatalog
{
    /// <summary>The sampler names AUTOMATIC1111 ships with.</summary>
    private static readonly IReadOnlyList<string> A1111Samplers =
        ["Euler a", "Euler", "LMS", "Heun", "DPM2", "DPM2 a", "DPM++ 2S a", "DPM++ 2M", "DPM++ SDE", "DPM++ 2M Karras", "DPM++ SDE Karras", "DDIM", "UniPC"];

    public static RuntimeCatalog Build(string repositoryCatalog, IReadOnlyDictionary<string, LocalRuntime> added)
    {
        var runtimes = RuntimeCatalog.Load(repositoryCatalog).Runtimes.ToList();
        var onnx = runtimes.FirstOrDefault(r => r.Type == RuntimeTypes.Onnx);
        foreach (var (name, local) in added)
        {
            runtimes.Add(local.Type switch
            {
                RuntimeTypes.A1111 => new RuntimeDefinition
                {
                    Name = name, Type = RuntimeTypes.A1111, DynamicModel = true, TaskTypes = RuntimeTypes.ServedBy(RuntimeTypes.A1111),
                    Size = new SizeRule(64, 2048, 8), Samplers = A1111Samplers,
                },
                RuntimeTypes.ComfyUi => new RuntimeDefinition { Name = name, Type = RuntimeTypes.ComfyUi, TaskTypes = RuntimeTypes.ServedBy(RuntimeTypes.ComfyUi) },
                // A Turbo model runs 1 to 4 steps at cfg_scale up to 1; the worker refuses an entry that promises more.
                RuntimeTypes.Onnx when onnx is not null && (local.TinyModel ?? local.ModelPath ?? "").Contains("turbo", StringComparison.OrdinalIgnoreCase)
                    => onnx with { Name = name, Model = local.ModelPath ?? "", MaxSteps = 4, MaxCfgScale = 1 },
                RuntimeTypes.Onnx when onnx is not null => onnx with { Name = name, Model = local.ModelPath ?? "" },
                _ => throw new RuntimeCatalogException($"LocalRuntimes:{name}: Type must be a1111, comfyui or onnx; got '{local.Type}'."),
            });
        }
        return RuntimeCatalog.Of([.. runtimes]);
    }

    /// <summary>
    /// Writes <paramref name="catalog"/> where the services can read it and returns the path. The name carries a hash of
    /// the content, so AppHosts run side by side with different runtimes never overwrite each other's file.
    /// </summary>
    public static string Write(RuntimeCatalog catalog, string folder)
    {
        var json = JsonSerializer.Serialize(new RuntimeCatalogDocument(catalog.Runtimes), RuntimeCatalogJsonContext.Default.RuntimeCatalogDocument);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..12];
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"runtimes.{hash}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
