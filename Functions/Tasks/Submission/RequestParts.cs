using System.Text;
using System.Text.Json;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>
/// The parts of a request that a caller can make large (docs/decisions/0340-claim-check-every-large-part.md): the
/// table keeps each only while it is small, and the claim-check pointer carries none of them.
/// </summary>
public static class RequestParts
{
    /// <summary>The most a part may take in the task's item; a larger one is kept only in the claim check.</summary>
    public const int MaxStoredPartBytes = 16 * 1024;

    public const string InitImages = "init_images";
    public const string Workflow = "workflow";
    public const string Inputs = "inputs";
    public const string AlwaysOnScripts = "alwayson_scripts";
    public const string A1111Fields = "a1111_fields";

    /// <summary>Names of the parts (other than init images, which the table never keeps) over <see cref="MaxStoredPartBytes"/>.</summary>
    public static IReadOnlyList<string> Large(GenerationParameters parameters)
    {
        var large = new List<string>();
        AddIfLarge(large, Workflow, parameters.Workflow);
        if (parameters.Inputs is { } inputs && inputs.Sum(input => Encoding.UTF8.GetByteCount(input.Name) + Encoding.UTF8.GetByteCount(input.Image)) > MaxStoredPartBytes)
        {
            large.Add(Inputs);
        }
        AddIfLarge(large, AlwaysOnScripts, parameters.AlwaysOnScripts);
        AddIfLarge(large, A1111Fields, parameters.A1111Fields);
        return large;
    }

    /// <summary>The parameters without init images and without the <paramref name="parts"/> named.</summary>
    public static GenerationParameters Without(GenerationParameters parameters, IReadOnlyCollection<string> parts) => parameters with
    {
        InitImages = null,
        Workflow = parts.Contains(Workflow) ? null : parameters.Workflow,
        Inputs = parts.Contains(Inputs) ? null : parameters.Inputs,
        AlwaysOnScripts = parts.Contains(AlwaysOnScripts) ? null : parameters.AlwaysOnScripts,
        A1111Fields = parts.Contains(A1111Fields) ? null : parameters.A1111Fields,
    };

    /// <summary>What a claim-check pointer carries: none of the parts a caller can make large.</summary>
    public static GenerationParameters ForPointer(GenerationParameters parameters) =>
        Without(parameters, [Workflow, Inputs, AlwaysOnScripts, A1111Fields]);

    /// <summary>Stored parameters with the <paramref name="parts"/> put back from the claim check's parameters.</summary>
    public static GenerationParameters Restore(GenerationParameters stored, IReadOnlyCollection<string> parts, GenerationParameters full) => stored with
    {
        Workflow = parts.Contains(Workflow) ? full.Workflow : stored.Workflow,
        Inputs = parts.Contains(Inputs) ? full.Inputs : stored.Inputs,
        AlwaysOnScripts = parts.Contains(AlwaysOnScripts) ? full.AlwaysOnScripts : stored.AlwaysOnScripts,
        A1111Fields = parts.Contains(A1111Fields) ? full.A1111Fields : stored.A1111Fields,
    };

    private static void AddIfLarge(List<string> large, string name, JsonElement? part)
    {
        if (part is { } json && Encoding.UTF8.GetByteCount(json.GetRawText()) > MaxStoredPartBytes)
        {
            large.Add(name);
        }
    }
}
