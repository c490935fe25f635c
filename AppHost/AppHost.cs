using SdServerless.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var aws = builder.AddLocalAws();

var provision = builder.AddProject<Projects.Provisioner>("provision")
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
    .WithModelFromSettings(builder.Configuration)
    .WaitForCompletion(provision);

builder.Build().Run();
