namespace SdServerless.Functions.Callbacks.Local;

/// <summary>A queue the local poller reads: its URL to call and its ARN for the records' <c>eventSourceARN</c>.</summary>
public sealed record LocalEventQueue(string Url, string Arn);
