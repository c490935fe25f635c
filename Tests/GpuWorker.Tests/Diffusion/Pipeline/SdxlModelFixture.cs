using SdServerless.GpuWorker.Diffusion.TinyModels;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>A tiny SDXL-shaped model generated into a temp folder and loaded once on the CPU, shared by a test class.</summary>
public sealed class SdxlModelFixture() : TinyModelFixture("sdxl-tiny-", "tiny-sdxl", TinyModelVariant.Parse("sdxl"));
