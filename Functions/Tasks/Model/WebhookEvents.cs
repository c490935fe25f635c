namespace SdServerless.Functions.Tasks.Model;

/// <summary>The webhook notifications a client may ask for.</summary>
public static class WebhookEvents
{
    public const string Start = "start";
    public const string Completed = "completed";

    public static readonly IReadOnlyList<string> All = [Start, Completed];
}
