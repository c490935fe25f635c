using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.GpuWorker;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDiffusionEngine();
        return builder;
    }
}
