using System.Text.Json.Nodes;

namespace SdServerless.TestSupport.ComfyUi;

/// <summary>One <c>/prompt</c> the test server accepted, with the id it gave it.</summary>
public sealed record ComfyQueuedPrompt(string PromptId, string ClientId, JsonObject Prompt);
