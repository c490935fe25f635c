using SdServerless.GpuWorker.Agent;

namespace SdServerless.GpuWorker;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddQueueAgent();
        return builder;
    }
}
