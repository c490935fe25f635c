using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using SdServerless.Aws;
using SdServerless.Functions.Tasks.Live;
using SdServerless.Functions.Tasks.Live.AppSync;
using SdServerless.LocalAws.Emulators;

namespace SdServerless.Functions.Tests.Tasks.Live.AppSync;

/// <summary>The task channel between two processes' hubs, through the AppSync Events emulator (tools/emulators/appsync-events.mjs).</summary>
public sealed class TaskChannelTests : IAsyncLifetime
{
    private EmulatorProcess _events = null!;
    private bool _stopped;

    public async Task InitializeAsync() => _events = await EmulatorProcess.StartAsync("appsync-events");

    public async Task DisposeAsync()
    {
        if (!_stopped)
        {
            await _events.DisposeAsync();
        }
    }

    [Fact]
    public async Task AWaiterElsewhereHearsWhatTheCallbackFlowPublishes()
    {
        var callback = Callback("test");
        var (api, subscriber) = Api("test");
        await using var _ = subscriber;
        using var subscription = await api.SubscribeAsync("t1", CancellationToken.None);
        using var other = await api.SubscribeAsync("t2", CancellationToken.None);
        Assert.True(subscription.Fed);

        await callback.PublishAsync(new TaskSignal("t1", TaskSignalKind.Started), CancellationToken.None);
        await callback.PublishAsync(new TaskSignal("t1", TaskSignalKind.Progress, 2, 8), CancellationToken.None);
        await callback.PublishAsync(new TaskSignal("t1", TaskSignalKind.Ended), CancellationToken.None);

        Assert.Equal(new TaskSignal("t1", TaskSignalKind.Started), await NextAsync(subscription));
        Assert.Equal(new TaskSignal("t1", TaskSignalKind.Progress, 2, 8), await NextAsync(subscription));
        Assert.Equal(new TaskSignal("t1", TaskSignalKind.Ended), await NextAsync(subscription));
        // Another task's waiter heard none of it.
        Assert.Null(await other.NextAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task AWaiterWhoseChannelDropsIsToldAndIsNoLongerFed()
    {
        var (api, subscriber) = Api("test");
        await using var _ = subscriber;
        using var subscription = await api.SubscribeAsync("t1", CancellationToken.None);
        Assert.True(subscription.Fed);

        await _events.DisposeAsync();
        _stopped = true;

        Assert.Equal(new TaskSignal("t1", TaskSignalKind.ChannelLost), await NextAsync(subscription));
        Assert.False(subscription.Fed);
        // With no channel to join, a new waiter is not fed either, so it reads its task instead of waiting blind.
        using var later = await api.SubscribeAsync("t2", CancellationToken.None);
        Assert.False(later.Fed);
    }

    [Fact]
    public async Task RefusedCredentialsNeitherFailThePublisherNorFeedTheWaiter()
    {
        var callback = Callback("wrong");
        var (api, subscriber) = Api("wrong");
        await using var _ = subscriber;

        await callback.PublishAsync(new TaskSignal("t1", TaskSignalKind.Ended), CancellationToken.None);
        using var subscription = await api.SubscribeAsync("t1", CancellationToken.None);

        Assert.False(subscription.Fed);
    }

    private TaskChannelOptions Options() => new()
    {
        HttpEndpoint = _events.Endpoint,
        RealtimeEndpoint = new UriBuilder(_events.Endpoint) { Scheme = "ws" }.Uri,
        SubscribeTimeoutSeconds = 5,
    };

    private static AwsConnection Connection(string secret) => new("us-east-1", new BasicAWSCredentials("test", secret));

    /// <summary>The callback function's hub: fed by its own flow, publishing to the channel.</summary>
    private TaskSignals Callback(string secret) =>
        new(fed: true, new TaskChannelPublisher(new HttpClient(), Options(), Connection(secret), TimeProvider.System, NullLogger<TaskChannelPublisher>.Instance));

    /// <summary>The API function's hub: not fed by itself, listening on the channel.</summary>
    private (TaskSignals Hub, TaskChannelSubscriber Subscriber) Api(string secret)
    {
        var subscriber = new TaskChannelSubscriber(Options(), Connection(secret), TimeProvider.System, NullLogger<TaskChannelSubscriber>.Instance);
        return (new TaskSignals(fed: false, channel: subscriber), subscriber);
    }

    private static Task<TaskSignal?> NextAsync(TaskSubscription subscription) => subscription.NextAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
}
