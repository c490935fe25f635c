using System.Text.Json;
using System.Text.Json.Nodes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>Checks a workflow and its inputs before anything reaches ComfyUI, and points it at the uploaded inputs.</summary>
internal static class ComfyWorkflow
{
    /// <summary>The node input that names a file in ComfyUI's input folder (LoadImage, LoadImageMask, ...).</summary>
    public const string ImageInput = "image";

    /// <summary>A copy of the workflow, after checking its shape and that every input is a plain name it loads.</summary>
    public static JsonObject CheckedCopy(ComfyWorkflowRequest request)
    {
        if (request.Workflow.Count == 0)
        {
            throw Invalid("The workflow has no nodes.");
        }
        foreach (var (id, node) in request.Workflow)
        {
            if (node is not JsonObject obj || obj["class_type"] is not JsonValue classType || classType.GetValueKind() != JsonValueKind.String
                || obj["inputs"] is not JsonObject)
            {
                throw Invalid($"Node {id} is not an API-format node with a class_type and an inputs object.");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in request.Inputs)
        {
            if (string.IsNullOrWhiteSpace(input.Name) || input.Name != Path.GetFileName(input.Name) || input.Name.Contains('\\') || input.Name is "." or "..")
            {
                throw Invalid($"Input name '{input.Name}' must be a plain file name.");
            }
            if (!names.Add(input.Name))
            {
                throw Invalid($"Input name '{input.Name}' is used twice.");
            }
            if (input.Data.Length == 0)
            {
                throw Invalid($"Input '{input.Name}' is empty.");
            }
            if (!ImageInputs(request.Workflow).Any(value => value.GetValue<string>() == input.Name))
            {
                throw Invalid($"Input '{input.Name}' is not loaded by any node (no '{ImageInput}' input names it).");
            }
        }
        return request.Workflow.DeepClone().AsObject();
    }

    /// <summary>Points every <c>image</c> input that names <paramref name="name"/> at <paramref name="uploaded"/>.</summary>
    public static void UseUploaded(JsonObject workflow, string name, string uploaded)
    {
        foreach (var value in ImageInputs(workflow).Where(value => value.GetValue<string>() == name).ToList())
        {
            value.Parent![ImageInput] = uploaded;
        }
    }

    /// <summary>The literal <c>seed</c> or <c>noise_seed</c> of the first node (in id order) that has one; -1 if none does.</summary>
    public static long Seed(JsonObject workflow)
    {
        foreach (var (_, node) in workflow.OrderBy(pair => pair.Key, NodeIdComparer.Instance))
        {
            foreach (var key in (string[])["seed", "noise_seed"])
            {
                if (node?["inputs"]?[key] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var seed))
                {
                    return seed;
                }
            }
        }
        return -1;
    }

    private static IEnumerable<JsonValue> ImageInputs(JsonObject workflow) =>
        workflow.Select(pair => pair.Value?["inputs"]?[ImageInput])
            .OfType<JsonValue>()
            .Where(value => value.GetValueKind() == JsonValueKind.String);

    private static GenerationInputException Invalid(string message) => new("workflow_invalid", message);
}
