namespace SdServerless.LocalAws.Iam;

/// <summary>What a role's identity policies answer to one call: allowed by a statement, denied by one, or denied because none allows it.</summary>
public sealed record IamDecision(bool Allowed, IamStatement? DecidedBy)
{
    public override string ToString() => (Allowed, DecidedBy) switch
    {
        (true, { } statement) => $"allowed by {statement}",
        (false, { } statement) => $"denied by {statement}",
        _ => "denied: no statement allows it",
    };
}
