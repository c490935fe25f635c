using SdServerless.Aws.TaskStore;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>A task's request as accepted, whole again: the table's part, and the large parts it left in the claim check.</summary>
public sealed class StoredRequestReader(ClaimChecks claimChecks)
{
    /// <summary>The request, or null when parts it needs were in a claim check that has expired (<c>Missing</c> names them).</summary>
    public async Task<(CanonicalRequest? Request, IReadOnlyList<string> Missing)> ReadAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        var stored = CanonicalRequest.FromStoredJson(task.RequestJson);
        if (stored.ClaimChecked is not { Count: > 0 } parts)
        {
            return (stored, []);
        }
        if (await claimChecks.GetAsync(task.Id, cancellationToken) is not { } whole)
        {
            return (null, parts);
        }
        return (stored with { Parameters = RequestParts.Restore(stored.Parameters, parts, whole.Parameters), ClaimChecked = null }, []);
    }
}
