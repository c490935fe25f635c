using SdServerless.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var aws = builder.AddLocalAws();

var provision = builder.AddProject<Projects.Provisioner>("provision")
    .WithArgs("--parameter", $"Runtimes={string.Join(',', aws.Runtimes)}")
    .WithLocalAws(aws);

builder.AddProject<Projects.Functions>("functions")
    .WithLocalAws(aws)
    .WithEnvironment("Api__LocalDevMode", "true")
    .WithEnvironment("Events__LocalPoller", "true")
    .WithWebConsole()
    .WaitForCompletion(provision);

builder.AddProject<Projects.GpuWorker>("gpu-worker")
    .WithLocalAws(aws)
    .WithRuntimeQueue(aws, aws.Runtimes[0])
    .WithEnvironment("Worker__LocalDevMode", "true")
    .WithExecutionProviderFromSettings(builder.Configuration)
    .WithModelFromSettings(builder.Configuration)
    .WaitForCompletion(provision);

// One more worker per runtime added in LocalRuntimes (an A1111 or ComfyUI server on this machine, another ONNX model).
foreach (var runtime in aws.Runtimes.Skip(1))
{
    builder.AddProject<Projects.GpuWorker>($"gpu-worker-{runtime}", launchProfileName: null)
        .WithHttpEndpoint()
        .WithHttpHealthCheck("/healthz")
        .WithLocalAws(aws)
        .WithRuntimeQueue(aws, runtime)
        .WithEnvironment("Worker__LocalDevMode", "true")
        .WithExecutionProviderFromSettings(builder.Configuration)
        .WaitForCompletion(provision);
}

builder.Build().Run();
