namespace SdServerless.LocalAws.Provisioning;

/// <summary>What a resource is called once created: its <c>Ref</c> value and its <c>Fn::GetAtt</c> attributes.</summary>
public sealed record LocalResource(string LogicalId, string Type, string Ref, IReadOnlyDictionary<string, string> Attributes, bool Emulated);
