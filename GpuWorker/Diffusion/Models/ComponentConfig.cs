using System.Text.Json;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>A component's <c>config.json</c> (optional in some exports: every read has the diffusers default).</summary>
public sealed class ComponentConfig(string path, Dictionary<string, JsonElement>? values)
{
    public string Path { get; } = path;

    public static ComponentConfig Load(string folder)
    {
        var path = System.IO.Path.Combine(folder, "config.json");
        return new ComponentConfig(path, ModelFiles.ReadOptionalJson<Dictionary<string, JsonElement>>(path));
    }

    public double Number(string key, double defaultValue) =>
        values is not null && values.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : defaultValue;

    public int Integer(string key, int defaultValue) => (int)Number(key, defaultValue);

    public int? ArrayLength(string key) =>
        values is not null && values.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.GetArrayLength()
            : null;
}
