using SdServerless.GpuWorker.Diffusion;
using SdServerless.LocalAws.Emulators;
using SdServerless.LocalAws.Templates;
using SdServerless.TestSupport;

namespace SdServerless.EndToEnd.Tests;

/// <summary>The Functions app and GPU workers as their own processes against a stack's emulators, configured as the AppHost would.</summary>
public static class ServiceProcesses
{
    public static async Task<ServiceProcess> StartApiAsync(LocalAwsStack stack, int port, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = stack.ServiceConfiguration();
        settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        settings["Api:LocalDevMode"] = "true";
        settings["Events:LocalPoller"] = "true";
        settings["Events:LocalPollerWaitSeconds"] = "1";
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            settings[name] = value;
        }
        var api = ServiceProcess.StartFunctions(settings);
        await api.WaitForHealthAsync(new Uri($"http://127.0.0.1:{port}"));
        return api;
    }

    /// <summary>A worker for <paramref name="runtime"/>; with no <c>Worker:Model</c> in <paramref name="extra"/>, on the tiny model.</summary>
    public static ServiceProcess StartWorker(LocalAwsStack stack, string runtime, string workerId, IReadOnlyDictionary<string, string>? extra = null)
    {
        var model = Path.Combine(Path.GetTempPath(), "sdserverless-tests", ModelLocator.TinyModelFolderName);
        ModelLocator.EnsureTinyModel(model);
        var settings = stack.ServiceConfiguration();
        settings["Worker:Runtime"] = runtime;
        var suffix = ForEachExpander.AlphanumericOnly(runtime);
        settings["Worker:QueueUrl"] = stack.Resources["RuntimeQueue" + suffix].Ref;
        settings["Worker:HighQueueUrl"] = stack.Resources["RuntimeHighQueue" + suffix].Ref;
        settings["Worker:LowQueueUrl"] = stack.Resources["RuntimeLowQueue" + suffix].Ref;
        settings["Worker:WorkerId"] = workerId;
        settings["Worker:LocalDevMode"] = "true";
        settings["Worker:Model"] = model;
        settings["Diffusion:ExecutionProvider"] = "cpu";
        settings["Diffusion:WarmupSize"] = "64";
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            settings[name] = value;
        }
        return ServiceProcess.StartWorker(settings);
    }
}
