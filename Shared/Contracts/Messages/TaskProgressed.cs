using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Messages;

/// <summary>
/// Published on the results topic with message attribute <c>event=task.progress</c> when a worker records a running
/// task's progress (at most once per progress interval, and at the last step), so the callback function learns progress
/// without reading the table: it wakes waiting requests and event streams and sends the <c>progress</c> webhook.
/// </summary>
/// <param name="Step">Denoising steps done, over the whole task (every batch of <c>n_iter</c>).</param>
/// <param name="Steps">Denoising steps of the whole task.</param>
public sealed record TaskProgressed(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("at")] DateTimeOffset At)
{
    public const string EventName = "task.progress";

    /// <summary>The <c>webhook_events</c> entry that asks for the <c>task.progress</c> webhook.</summary>
    public const string RequestedBy = "progress";
}
