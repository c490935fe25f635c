using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Messages;

/// <summary>
/// Published on the results topic with message attribute <c>event=task.started</c> when a worker starts a task whose
/// client asked for the <c>start</c> webhook; the callback function delivers it.
/// </summary>
public sealed record TaskStarted(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt)
{
    public const string EventName = "task.started";

    /// <summary>The <c>webhook_events</c> entry that asks for this notification.</summary>
    public const string RequestedBy = "start";
}
