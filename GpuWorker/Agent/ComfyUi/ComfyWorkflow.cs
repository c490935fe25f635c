using System.Text.Json;
using System.Text.Json.Nodes;
using SdServerless.Contracts.Runtimes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>
/// Checks a workflow and its inputs before anything reaches ComfyUI (node classes the runtime allows, files loaded only
/// from the declared inputs), points it at the uploaded inputs and makes its save nodes write into the task's folder.
/// </summary>
internal static class ComfyWorkflow
{
    /// <summary>The node input that names a file in ComfyUI's input folder (LoadImage, LoadImageMask, ...).</summary>
    public const string ImageInput = "image";

    /// <summary>The node input that names where a save node writes, under ComfyUI's output folder (SaveImage, ...).</summary>
    public const string FilenamePrefixInput = "filename_prefix";

    /// <summary>A copy of the workflow, after checking its shape, its node classes and that every input is a plain name it loads.</summary>
    public static JsonObject CheckedCopy(ComfyWorkflowRequest request, RuntimeWorkflows rules)
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
            if (!rules.Allows(classType.GetValue<string>()))
            {
                throw Invalid($"Node {id} uses node class '{classType.GetValue<string>()}', which this runtime does not allow.");
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
        if (ImageInputs(request.Workflow).FirstOrDefault(value => !names.Contains(value.GetValue<string>())) is { } undeclared)
        {
            // Never another task's upload or an earlier output ("x.png [output]"): only what this task declared.
            throw Invalid($"A node loads '{undeclared.GetValue<string>()}', which is not one of the task's inputs.");
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

    /// <summary>
    /// Points every save node at the task's folder: a <c>filename_prefix</c> becomes <c>{folder}/{its last part}</c>, so
    /// the files land where the worker finds and deletes them, never beside another task's.
    /// </summary>
    public static void UseTaskFolder(JsonObject workflow, string folder)
    {
        foreach (var value in workflow.Select(pair => pair.Value?["inputs"]?[FilenamePrefixInput]).OfType<JsonValue>()
                     .Where(value => value.GetValueKind() == JsonValueKind.String).ToList())
        {
            var name = value.GetValue<string>().Replace('\\', '/').Split('/').LastOrDefault(part => part is { Length: > 0 } and not "." and not "..");
            value.Parent![FilenamePrefixInput] = $"{folder}/{name ?? "ComfyUI"}";
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
