using System.Text;
using System.Text.Json;
using SdServerless.Aws;
using SdServerless.Aws.Signing;
using SdServerless.Functions.Hosting;

namespace SdServerless.Functions.Tasks.Live.AppSync;

/// <summary>
/// Publishes a task's start, progress and end to its channel on the AppSync Events API (HTTP POST
/// <c>/event</c>, SigV4, <c>appsync:EventPublish</c>), so API instances waiting on it hear them. A failed publish never
/// fails the caller: it is logged and counted, and a waiter that misses it reads its task when its wait runs out.
/// </summary>
public sealed partial class TaskChannelPublisher(HttpClient http, TaskChannelOptions options, AwsConnection connection, TimeProvider time, ILogger<TaskChannelPublisher> logger)
{
    /// <summary>Publishes <paramref name="eventJson"/> (what happened to the task: <paramref name="kind"/>, for logs and metrics) to <paramref name="taskId"/>'s channel.</summary>
    public async Task PublishAsync(string taskId, string kind, string eventJson, CancellationToken cancellationToken)
    {
        var endpoint = options.HttpEndpoint ?? throw new InvalidOperationException("Live:Channel:HttpEndpoint is not set.");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.PublishTimeoutSeconds)));
            var body = EventsMessage.PublishBody(options.ChannelOf(taskId), [eventJson]);
            var credentials = await connection.Credentials.GetCredentialsAsync();
            var headers = EventsAuthorization.Sign(endpoint, body,
                new SigningCredentials(credentials.AccessKey, credentials.SecretKey, credentials.UseToken ? credentials.Token : null), connection.Region, time.GetUtcNow());
            using var request = new HttpRequestMessage(HttpMethod.Post, EventsAuthorization.EventUri(endpoint)) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            foreach (var (name, value) in headers)
            {
                if (name is "content-type" or "content-encoding")
                {
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
                else if (name != "host")
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }
            connection.CallLog?.Record("appsync:EventPublish", TaskChannelArns.Namespace(options, connection));
            using var response = await http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode || HasFailures(text))
            {
                FunctionsMetrics.ChannelPublished(kind, "failed");
                LogRefused(logger, taskId, kind, (int)response.StatusCode, text.Length > 500 ? text[..500] : text);
                return;
            }
            FunctionsMetrics.ChannelPublished(kind, "published");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            FunctionsMetrics.ChannelPublished(kind, "failed");
            LogFailed(logger, ex, taskId, kind);
        }
    }

    /// <summary>AppSync answers 200 with <c>{"successful":[…],"failed":[…]}</c>; an event in <c>failed</c> was not published.</summary>
    private static bool HasFailures(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("failed", out var failed) && failed.ValueKind == JsonValueKind.Array && failed.GetArrayLength() > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The {Kind} of task {TaskId} was not published to its channel: {Status} {Body}; waiters read it when their wait ends")]
    private static partial void LogRefused(ILogger logger, string taskId, string kind, int status, string body);

    [LoggerMessage(LogLevel.Warning, "The {Kind} of task {TaskId} was not published to its channel; waiters read it when their wait ends")]
    private static partial void LogFailed(ILogger logger, Exception exception, string taskId, string kind);
}
