using SdServerless.GpuWorker.Diffusion.Models;

namespace SdServerless.Diffusion.Benchmarks;

/// <summary>One ONNX Runtime session setting whose peak resident memory is measured, as the engine's options express it.</summary>
public sealed record SessionMemorySetting(string Name, Action<DiffusionOptions> Apply)
{
    public static IReadOnlyList<SessionMemorySetting> All { get; } =
    [
        new("optimization level all (before 0417)", o => o.GraphOptimizationLevel = Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL),
        new("engine defaults", _ => { }),
        new("cpu arena off", o => o.CpuMemoryArena = false),
        new("memory pattern off", o => o.MemoryPattern = false),
        new("prepacking off", o => o.WeightPrepacking = false),
        new("weights outside the arena", o => o.WeightsInArena = false),
        new("arena + pattern off", o => { o.CpuMemoryArena = false; o.MemoryPattern = false; }),
        new("arena + pattern + prepacking off", o => { o.CpuMemoryArena = false; o.MemoryPattern = false; o.WeightPrepacking = false; }),
    ];

    public static SessionMemorySetting Named(string name) =>
        All.FirstOrDefault(setting => setting.Name == name) ?? throw new ArgumentException($"Unknown setting '{name}'");
}
