using System.Text.Json;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Submission;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// Reads <c>task.content</c> of a <c>/v1alpha2</c> request as our submit fields: an A1111 body as is; for a ComfyUI
/// workflow (<c>pipeline</c>) either <c>{"workflow":{...},"inputs":[...]}</c> or, as the guidance's clients send it,
/// the workflow itself.
/// </summary>
public static class GuidanceContent
{
    public static SubmitTaskRequest? Read(JsonElement content, string? taskType, ValidationErrors errors)
    {
        if (taskType == TaskTypes.ComfyUiWorkflow && !content.TryGetProperty("workflow", out _))
        {
            return new SubmitTaskRequest { Workflow = content };
        }
        try
        {
            return content.Deserialize(FunctionsJsonContext.Default.SubmitTaskRequest);
        }
        catch (JsonException ex)
        {
            var field = JsonBody.FieldOf(ex.Path);
            errors.Add(field == "body" ? "task.content" : $"task.content.{field}", "has a value of the wrong type or is not valid JSON.");
            return null;
        }
    }
}
