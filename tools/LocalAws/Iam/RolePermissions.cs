using SdServerless.Aws.Recording;

namespace SdServerless.LocalAws.Iam;

/// <summary>
/// The identity policies of one role as IAM evaluates them for a call: an explicit Deny wins, else an Allow is needed.
/// AWS-managed policies are listed by ARN and not evaluated (the roles here attach only logging and tracing ones).
/// </summary>
public sealed record RolePermissions(string Role, IReadOnlyList<IamStatement> Statements, IReadOnlyList<string> ManagedPolicyArns)
{
    public IamDecision Decide(AwsCall call)
    {
        var matching = Statements.Where(s => s.Applies(call.Action, call.Resource, call.Context)).ToList();
        if (matching.FirstOrDefault(s => !s.Allow) is { } deny)
        {
            return new IamDecision(false, deny);
        }
        return matching.FirstOrDefault() is { } allow ? new IamDecision(true, allow) : new IamDecision(false, null);
    }

    /// <summary>
    /// Each Allow statement's action and resource pairs that none of <paramref name="calls"/> used: what the role could
    /// lose if those calls are all it makes. Wildcard resources count as used when any call fell under them.
    /// </summary>
    public IReadOnlyList<string> Unused(IEnumerable<AwsCall> calls)
    {
        var allowedBy = calls.Select(call => (call, decision: Decide(call))).Where(x => x.decision.Allowed).ToList();
        var unused = new List<string>();
        foreach (var statement in Statements.Where(s => s.Allow))
        {
            foreach (var action in statement.Actions)
            {
                foreach (var resource in statement.Resources)
                {
                    var used = allowedBy.Any(x => IamPattern.Matches(action, x.call.Action, ignoreCase: true) && IamPattern.Matches(resource, x.call.Resource)
                        && statement.Conditions.All(c => c.IsMetBy(x.call.Context)));
                    if (!used)
                    {
                        unused.Add($"{statement.Source}: {action} on {resource}");
                    }
                }
            }
        }
        return unused;
    }
}
