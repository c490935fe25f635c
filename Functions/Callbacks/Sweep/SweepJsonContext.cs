using System.Text.Json.Serialization;

namespace SdServerless.Functions.Callbacks.Sweep;

/// <summary>Source-generated JSON for the sweep's report.</summary>
[JsonSerializable(typeof(SweepReport))]
public sealed partial class SweepJsonContext : JsonSerializerContext;
