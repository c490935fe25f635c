using System.Text.Json;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// A1111's sampler settings, under A1111's names on both routes: <c>eta</c>, <c>s_noise</c>, <c>s_churn</c>,
/// <c>s_tmin</c>, <c>s_tmax</c> (0 = no bound). Each sampler reads those its k-diffusion function takes, as A1111 does
/// (docs/decisions/0422); a value out of range is named here, before it reaches a worker.
/// </summary>
public static class SamplerFieldsRule
{
    /// <summary>Each field's largest value; the onnx engine checks the same ranges.</summary>
    public static readonly IReadOnlyDictionary<string, double> Limits = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["eta"] = 1,
        ["s_noise"] = 2,
        ["s_churn"] = 100,
        ["s_tmin"] = 1000,
        ["s_tmax"] = 1000,
    };

    public static GenerationParameters Apply(SubmitTaskRequest request, GenerationParameters parameters, string prefix, ValidationErrors errors)
    {
        var others = request.OtherFields ?? [];
        double? Read(string name)
        {
            if (!others.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) && number >= 0 && number <= Limits[name])
            {
                return number;
            }

            errors.Add(prefix + name, $"{name} must be a number from 0 to {Limits[name]}; got {CallerText.Shorten(value.GetRawText())}.");
            return null;
        }

        return parameters with
        {
            Eta = Read("eta"),
            SNoise = Read("s_noise") ?? parameters.SNoise,
            SChurn = Read("s_churn") ?? parameters.SChurn,
            STmin = Read("s_tmin") ?? parameters.STmin,
            STmax = Read("s_tmax") ?? parameters.STmax,
        };
    }
}
