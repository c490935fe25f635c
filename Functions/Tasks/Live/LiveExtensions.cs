using Microsoft.Extensions.Options;
using SdServerless.Aws;
using SdServerless.Functions.Tasks.Live.AppSync;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>Wiring of waiting (<c>Prefer: wait</c>), event streams and the task channel that feeds them across instances.</summary>
public static class LiveExtensions
{
    public static IServiceCollection AddLiveServices(this IServiceCollection services)
    {
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LiveOptions>>().Value);
        services.AddOptions<TaskChannelOptions>().BindConfiguration(TaskChannelOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TaskChannelOptions>>().Value);
        services.AddSingleton(sp =>
        {
            // Fed where the callback flow runs in this process: /events is mapped (locally the event poller posts to it).
            var configuration = sp.GetRequiredService<IConfiguration>();
            var fed = configuration.GetValue<bool>("Events:Enabled") || configuration.GetValue<bool>("Events:LocalPoller");
            var channel = sp.GetRequiredService<TaskChannelOptions>();
            // The callback flow publishes what it hears to the channel, and an API instance the cancels it makes (a task
            // canceled while queued has no result until a worker receives it); a process without the flow listens there.
            var publisher = channel.CanPublish
                ? new TaskChannelPublisher(
                    new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }),
                    channel, sp.GetRequiredService<AwsConnection>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TaskChannelPublisher>>())
                : null;
            var subscriber = !fed && channel.CanSubscribe
                ? new TaskChannelSubscriber(channel, sp.GetRequiredService<AwsConnection>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TaskChannelSubscriber>>())
                : null;
            return new TaskSignals(fed, publisher, subscriber);
        });
        services.AddSingleton<TaskEndWaiter>();
        services.AddSingleton<TaskEventStream>();
        return services;
    }
}
