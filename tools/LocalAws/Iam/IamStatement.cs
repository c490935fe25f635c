namespace SdServerless.LocalAws.Iam;

/// <summary>One statement of an identity policy, its values resolved: where it came from (policy and Sid), its effect, actions, resources and conditions.</summary>
public sealed record IamStatement(
    string Source,
    bool Allow,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Resources,
    IReadOnlyList<IamCondition> Conditions)
{
    public bool Applies(string action, string resource, IReadOnlyDictionary<string, string> context) =>
        Actions.Any(a => IamPattern.Matches(a, action, ignoreCase: true))
        && Resources.Any(r => IamPattern.Matches(r, resource))
        && Conditions.All(c => c.IsMetBy(context));

    public override string ToString() =>
        $"{Source}: {(Allow ? "Allow" : "Deny")} {string.Join(", ", Actions)} on {string.Join(", ", Resources)}"
        + (Conditions.Count > 0 ? $" when {string.Join(" and ", Conditions)}" : "");
}
