using SdServerless.GpuWorker;
using SdServerless.GpuWorker.Cli;
using SdServerless.ServiceDefaults;

if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddBasicServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunAsync();
return 0;
