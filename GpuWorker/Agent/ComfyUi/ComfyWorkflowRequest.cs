using System.Text.Json.Nodes;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>
/// A ComfyUI workflow in API format (node id → <c>{ "class_type", "inputs" }</c>) and the images it loads by name;
/// <paramref name="TaskId"/> names the folder its files live in on the runtime (a fresh name when absent).
/// </summary>
public sealed record ComfyWorkflowRequest(JsonObject Workflow, IReadOnlyList<ComfyInputImage> Inputs, string? TaskId = null);
