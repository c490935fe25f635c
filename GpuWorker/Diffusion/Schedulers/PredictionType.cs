namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>What the UNet predicts (<c>prediction_type</c>): the noise, v (Salimans and Ho 2022), or the clean sample.</summary>
public enum PredictionType
{
    Epsilon,
    VPrediction,
    Sample,
}

public static class PredictionTypes
{
    public static PredictionType Parse(string value) => value switch
    {
        "epsilon" => PredictionType.Epsilon,
        "v_prediction" => PredictionType.VPrediction,
        "sample" => PredictionType.Sample,
        _ => throw new ArgumentException($"prediction_type '{value}' is not supported (epsilon, v_prediction, sample)", nameof(value)),
    };
}
