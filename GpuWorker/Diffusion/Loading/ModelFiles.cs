using System.Text.Json;

namespace SdServerless.GpuWorker.Diffusion.Loading;

/// <summary>Reads a model folder's files; a missing or unreadable file becomes a <see cref="ModelLoadException"/> naming it.</summary>
public static class ModelFiles
{
    private static readonly JsonSerializerOptions Options = new() { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static string Require(string path) =>
        File.Exists(path) ? path : throw new ModelLoadException($"Model file is missing: {path}");

    public static T ReadJson<T>(string path)
    {
        Require(path);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Options) ?? throw new ModelLoadException($"Model file is empty (null): {path}");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"Model file is not valid JSON: {path}: {e.Message}", e);
        }
    }

    public static T? ReadOptionalJson<T>(string path) where T : class =>
        File.Exists(path) ? ReadJson<T>(path) : null;

    public static string[] ReadLines(string path) => File.ReadAllLines(Require(path));
}
