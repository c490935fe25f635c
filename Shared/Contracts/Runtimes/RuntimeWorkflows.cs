using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Runtimes;

/// <summary>
/// What a <c>comfyui</c> runtime lets one workflow do (<c>workflows</c> in the catalogue): the node classes it may
/// use, checked at submit and again by the worker, and how many images it may save and how large each may be, checked
/// by the worker before and while it stores them. Every field is optional; the defaults below apply.
/// </summary>
public sealed record RuntimeWorkflows
{
    public const int DefaultMaxOutputs = 16;

    /// <summary>The most a catalogue may allow: the result message lists every output and must stay under SNS's 256 KiB.</summary>
    public const int MaxOutputsCeiling = 100;

    public const long DefaultMaxOutputBytes = 32L * 1024 * 1024;

    public const long MaxOutputBytesCeiling = 256L * 1024 * 1024;

    /// <summary>The node classes a workflow may use; absent: <see cref="ComfyNodeClasses.BuiltIn"/>.</summary>
    [JsonPropertyName("nodeClasses")] public IReadOnlyList<string>? NodeClasses { get; init; }

    /// <summary>Images one workflow may save; a workflow that saves more ends <c>failed</c> with <c>too_many_outputs</c>.</summary>
    [JsonPropertyName("maxOutputs")] public int MaxOutputs { get; init; } = DefaultMaxOutputs;

    /// <summary>Bytes one saved image may have; a larger one ends the task <c>failed</c> with <c>output_too_large</c>.</summary>
    [JsonPropertyName("maxOutputBytes")] public long MaxOutputBytes { get; init; } = DefaultMaxOutputBytes;

    /// <summary>The settings of a runtime that names none.</summary>
    public static RuntimeWorkflows Default { get; } = new();

    /// <summary>Whether a workflow may use a node of <paramref name="classType"/> (exact, case-sensitive, as ComfyUI matches it).</summary>
    public bool Allows(string classType) => (NodeClasses ?? ComfyNodeClasses.BuiltIn).Contains(classType, StringComparer.Ordinal);
}
