using System.Text.Json;

namespace SdServerless.GpuWorker.Tests.Diffusion.Noise;

/// <summary>Reference values written by the scripts in <c>tools/reference-fixtures/</c>, as float32 bit patterns.</summary>
internal static class NoiseFixtures
{
    public static JsonElement Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Diffusion", "Noise", "Fixtures", name);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    public static float[] Floats(JsonElement bits) =>
        bits.EnumerateArray().Select(element => BitConverter.UInt32BitsToSingle(element.GetUInt32())).ToArray();
}
