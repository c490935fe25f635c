using System.Text.Json;
using System.Text.Json.Nodes;
using SdServerless.Contracts.Messages;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults.Telemetry;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>A <c>comfyui-workflow</c> task on the ComfyUI runtime beside the agent: its input images fetched, then the workflow run as it is.</summary>
public sealed class ComfyUiTaskGenerator(ComfyUiRunner runner, InitImageFetcher initImages) : ITaskGenerator
{
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => runner.WaitUntilReadyAsync(cancellationToken);

    public async Task<TaskImages> GenerateAsync(GenerateImageRequested task, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        var p = task.Parameters;
        if (p.Workflow is not { ValueKind: JsonValueKind.Object } workflow || JsonNode.Parse(workflow.GetRawText()) is not JsonObject graph)
        {
            throw new GenerationInputException("workflow_invalid", $"A {task.TaskType} task needs a workflow object.");
        }
        var inputs = new List<ComfyInputImage>();
        using (SdServerlessTelemetry.ActivitySource.StartActivity("fetch workflow inputs"))
        {
            foreach (var input in p.Inputs ?? [])
            {
                inputs.Add(new ComfyInputImage(input.Name, await initImages.FetchAsync(input.Image, cancellationToken, $"inputs \"{input.Name}\"")));
            }
        }
        return await runner.RunAsync(new ComfyWorkflowRequest(graph, inputs, task.Id), progress, cancellationToken);
    }
}
