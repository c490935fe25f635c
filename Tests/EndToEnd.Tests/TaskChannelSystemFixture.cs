using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SdServerless.LocalAws.Emulators;
using SdServerless.TestSupport;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// The Functions app split as AWS runs it: an API process that serves HTTP with no event poller (as the API function,
/// which hears the callback flow only through the task channel), a callback process with the event poller (as the
/// callback function, which publishes to the channel), the AppSync Events emulator between them, and a GPU worker that
/// records progress every 200 ms. Both Functions processes record their AWS calls for the role checks.
/// </summary>
public sealed class TaskChannelSystemFixture : LocalAwsFixture
{
    public const string Key = "local-dev-key";

    private EmulatorProcess? _events;
    private ServiceProcess? _api;
    private ServiceProcess? _callback;
    private ServiceProcess? _worker;

    public HttpClient Api { get; private set; } = null!;

    public string ApiCallLog { get; } = Path.Combine(Path.GetTempPath(), $"sdserverless-calls-api-{Guid.NewGuid():N}.jsonl");

    public string CallbackCallLog { get; } = Path.Combine(Path.GetTempPath(), $"sdserverless-calls-callback-{Guid.NewGuid():N}.jsonl");

    /// <summary>What the processes printed, for a failing test's message.</summary>
    public string Output => $"API:\n{_api?.Output}\nCallback:\n{_callback?.Output}";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _events = await EmulatorProcess.StartAsync("appsync-events");
        var channel = new Dictionary<string, string>
        {
            ["Live:Channel:HttpEndpoint"] = _events.Endpoint.ToString(),
            ["Live:Channel:RealtimeEndpoint"] = new UriBuilder(_events.Endpoint) { Scheme = "ws" }.Uri.ToString(),
            ["Live:Channel:ApiId"] = $"{Stack.Template.Stack.StackName}-TaskChannelApi",
            // Long enough that no keep-alive read shows progress or the end: what the stream sends came through the channel.
            ["Live:KeepAliveSeconds"] = "60",
            ["Api:LocalDevMode"] = "true",
        };

        var apiPort = FreePort.Next();
        _api = await ServiceProcesses.StartFunctionsAsync(Stack, apiPort, With(channel, new()
        {
            ["Aws:CallLog"] = ApiCallLog,
            ["Aws:CallLogCaller"] = "api",
        }));
        _callback = await ServiceProcesses.StartFunctionsAsync(Stack, FreePort.Next(), With(channel, new()
        {
            ["Events:LocalPoller"] = "true",
            ["Events:LocalPollerWaitSeconds"] = "1",
            ["Aws:CallLog"] = CallbackCallLog,
            ["Aws:CallLogCaller"] = "callback",
        }));
        _worker = ServiceProcesses.StartWorker(Stack, "sdruntime", "channel-worker", new Dictionary<string, string>
        {
            ["Worker:ReceiveWaitSeconds"] = "1",
            ["Worker:ProgressIntervalMilliseconds"] = "200",
        });
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromMinutes(3) };
        Api.DefaultRequestHeaders.Add("x-api-key", Key);
    }

    private static Dictionary<string, string> With(Dictionary<string, string> channel, Dictionary<string, string> extra)
    {
        foreach (var (name, value) in channel)
        {
            extra.TryAdd(name, value);
        }
        return extra;
    }

    public async Task<HttpResponseMessage> SubmitAsync(JsonObject body, string? prefer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = JsonContent.Create(body) };
        if (prefer is not null)
        {
            request.Headers.Add("Prefer", prefer);
        }
        return await Api.SendAsync(request);
    }

    public override async Task DisposeAsync()
    {
        Api?.Dispose();
        foreach (var process in new[] { _worker, _callback, _api })
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }
        if (_events is not null)
        {
            await _events.DisposeAsync();
        }
        await base.DisposeAsync();
        File.Delete(ApiCallLog);
        File.Delete(CallbackCallLog);
    }
}
