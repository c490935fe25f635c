using System.Text.Json;
using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// The shape of a <c>comfyui-workflow</c> task, checked at submit: <c>workflow</c> is ComfyUI's API format, an object
/// of nodes each with a string <c>class_type</c> the runtime allows (<see cref="RuntimeWorkflows"/>) and an object
/// <c>inputs</c>; every file a node loads by name (an <c>image</c> input holding a name) is one of the declared
/// <c>inputs</c>, never another file on the runtime; and every named input image is usable. What the nodes mean is
/// ComfyUI's to judge; its refusal ends the task <c>failed</c> with ComfyUI's message.
/// </summary>
public sealed class WorkflowRules(InitImageRules images)
{
    public const int MaxNodes = 1_000;
    public const int MaxInputs = 8;

    /// <summary>The node input that names a file in the runtime's input folder (LoadImage, LoadImageMask).</summary>
    public const string ImageInput = "image";

    public void Check(JsonElement? workflow, IReadOnlyList<WorkflowInput>? inputs, RuntimeWorkflows allowed, string prefix, string owner, ValidationErrors errors)
    {
        var field = prefix + "workflow";
        if (workflow is not { ValueKind: JsonValueKind.Object } graph)
        {
            errors.Add(field, "workflow is required: a ComfyUI workflow in API format (node id → {\"class_type\", \"inputs\"}).");
        }
        else
        {
            var declared = (inputs ?? []).Select(i => i?.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
            CheckNodes(graph, field, declared, allowed, errors);
        }
        CheckInputs(inputs, prefix + "inputs", owner, errors);
    }

    private static void CheckNodes(JsonElement graph, string field, IReadOnlySet<string> declared, RuntimeWorkflows allowed, ValidationErrors errors)
    {
        var count = 0;
        foreach (var node in graph.EnumerateObject())
        {
            if (++count > MaxNodes)
            {
                errors.Add(field, $"workflow has more than {MaxNodes} nodes.");
                return;
            }
            var at = $"{field}.{CallerText.Shorten(node.Name, 40)}";
            if (node.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(at, "a node must be an object with class_type and inputs.");
                continue;
            }
            if (!node.Value.TryGetProperty("class_type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString()!.Length == 0)
            {
                errors.Add($"{at}.class_type", "class_type is required: the node's type name, such as KSampler.");
            }
            else if (!allowed.Allows(type.GetString()!))
            {
                errors.Add($"{at}.class_type", $"node class '{CallerText.Shorten(type.GetString()!, 60)}' is not allowed on this runtime"
                    + (allowed.NodeClasses is null ? "; it runs ComfyUI's built-in nodes only." : "; its workflows.nodeClasses in the runtime catalogue do not list it."));
            }
            if (!node.Value.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{at}.inputs", "inputs is required: an object of the node's inputs.");
            }
            else if (inputs.TryGetProperty(ImageInput, out var image) && image.ValueKind == JsonValueKind.String && !declared.Contains(image.GetString()!))
            {
                // Only the task's own inputs: never another tenant's upload or an earlier output ("x.png [output]").
                errors.Add($"{at}.inputs.{ImageInput}", $"image '{CallerText.Shorten(image.GetString()!, 60)}' is not one of the task's inputs; "
                    + "a workflow loads only the images it declares in inputs, by their names.");
            }
        }
        if (count == 0)
        {
            errors.Add(field, "workflow has no nodes.");
        }
    }

    private void CheckInputs(IReadOnlyList<WorkflowInput>? inputs, string field, string owner, ValidationErrors errors)
    {
        if (inputs is null)
        {
            return;
        }
        if (inputs.Count > MaxInputs)
        {
            errors.Add(field, $"at most {MaxInputs} inputs are allowed; got {inputs.Count}.");
            return;
        }
        for (var i = 0; i < inputs.Count; i++)
        {
            var name = inputs[i]?.Name;
            if (name is null || name.Length is 0 or > 100 || name.IndexOfAny(['/', '\\']) >= 0 || name is "." or ".." || name.Any(char.IsControl))
            {
                errors.Add($"{field}[{i}].name", "name must be a plain file name of 1 to 100 characters, such as init.png.");
            }
            if (inputs[i]?.Image is not { } image)
            {
                errors.Add($"{field}[{i}].image", "image is required.");
            }
            else if (images.Check(image, owner) is { } problem)
            {
                errors.Add($"{field}[{i}].image", $"image {problem}");
            }
        }
        foreach (var duplicate in inputs.Where(i => i?.Name is not null).GroupBy(i => i.Name).Where(g => g.Count() > 1))
        {
            errors.Add(field, $"input name '{CallerText.Shorten(duplicate.Key, 40)}' is used more than once.");
        }
    }
}
