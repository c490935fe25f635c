using Microsoft.Extensions.Options;

namespace SdServerless.GpuWorker.Agent.A1111;

public static class A1111Extensions
{
    /// <summary>The generator of an <c>a1111</c> runtime: an AUTOMATIC1111 WebUI beside the agent (section <c>A1111</c>).</summary>
    public static IHostApplicationBuilder AddA1111Generator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<A1111Options>().BindConfiguration(A1111Options.SectionName);
        builder.Services.AddHttpClient<ITaskGenerator, A1111Generator>((sp, http) =>
        {
            var settings = sp.GetRequiredService<IOptions<A1111Options>>().Value;
            http.BaseAddress = new Uri(settings.BaseUrl);
            http.Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds + 30);
        });
        return builder;
    }
}
