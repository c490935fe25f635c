using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>The <c>priority</c> field: <c>low</c>, <c>normal</c> (default) or <c>high</c>.</summary>
public static class PriorityRule
{
    public static string Check(string? priority, string field, ValidationErrors errors)
    {
        if (priority is null)
        {
            return TaskPriorities.Normal;
        }
        if (!TaskPriorities.IsKnown(priority))
        {
            errors.Add(field, $"Unknown priority '{CallerText.Shorten(priority, 40)}'; one of: {TaskPriorities.Low}, {TaskPriorities.Normal}, {TaskPriorities.High}.");
            return TaskPriorities.Normal;
        }
        return priority;
    }
}
