using Microsoft.Extensions.Options;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>Wiring of waiting (<c>Prefer: wait</c>) and event streams.</summary>
public static class LiveExtensions
{
    public static IServiceCollection AddLiveServices(this IServiceCollection services)
    {
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LiveOptions>>().Value);
        services.AddSingleton(sp =>
        {
            // Fed where the callback flow runs in this process: /events is mapped (locally the event poller posts to it).
            var configuration = sp.GetRequiredService<IConfiguration>();
            var fed = configuration.GetValue<bool>("Events:Enabled") || configuration.GetValue<bool>("Events:LocalPoller");
            return new TaskSignals(fed);
        });
        services.AddSingleton<TaskEndWaiter>();
        services.AddSingleton<TaskEventStream>();
        return services;
    }
}
