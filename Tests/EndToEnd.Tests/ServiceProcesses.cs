using SdServerless.GpuWorker.Diffusion;
using SdServerless.LocalAws.Emulators;
using SdServerless.LocalAws.Templates;
using SdServerless.TestSupport;

namespace SdServerless.EndToEnd.Tests;

/// <summary>The Functions app and GPU workers as their own processes against a stack's emulators, configured as the AppHost would.</summary>
public static class ServiceProcesses
{
    /// <summary>The Functions app with the local event poller, as the AppHost runs it: API and callback flow in one process.</summary>
    public static Task<ServiceProcess> StartApiAsync(LocalAwsStack stack, int port, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Api:LocalDevMode"] = "true",
            ["Events:LocalPoller"] = "true",
            ["Events:LocalPollerWaitSeconds"] = "1",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            settings[name] = value;
        }
        return StartFunctionsAsync(stack, port, settings);
    }

    /// <summary>The Functions app on <paramref name="port"/> with the stack's service environment and <paramref name="settings"/>, once healthy.</summary>
    public static async Task<ServiceProcess> StartFunctionsAsync(LocalAwsStack stack, int port, IReadOnlyDictionary<string, string> settings)
    {
        var environment = stack.ServiceConfiguration();
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }
        var functions = ServiceProcess.StartFunctions(environment);
        await functions.WaitForHealthAsync(new Uri($"http://127.0.0.1:{port}"));
        return functions;
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
