using SdServerless.GpuWorker.Diffusion;
using SdServerless.TestSupport;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>Emulators with the template provisioned, and a tiny model on disk for workers to load.</summary>
public class AgentFixture : LocalAwsFixture
{
    public string ModelFolder { get; } = Path.Combine(Path.GetTempPath(), "sdserverless-tests", ModelLocator.TinyModelFolderName);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        ModelLocator.EnsureTinyModel(ModelFolder);
    }

    /// <summary>Settings for a worker serving <c>sdruntime</c> against these emulators.</summary>
    public Dictionary<string, string?> WorkerSettings(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var settings = Stack.ServiceConfiguration();
        settings["Worker:Runtime"] = "sdruntime";
        settings["Worker:QueueUrl"] = Stack.Resources["RuntimeQueuesdruntime"].Ref;
        settings["Worker:ReceiveWaitSeconds"] = "1";
        settings["Worker:RetryDelaySeconds"] = "0";
        settings["Worker:ProgressIntervalMilliseconds"] = "200";
        settings["Worker:Model"] = ModelFolder;
        settings["Diffusion:ExecutionProvider"] = "cpu";
        settings["Diffusion:WarmupSteps"] = "1";
        settings["Diffusion:WarmupSize"] = "64";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        return settings;
    }
}
