using Scalar.AspNetCore;
using SdServerless.Functions;
using SdServerless.Functions.Callbacks.Events;
using SdServerless.Functions.Callbacks.Webhooks;
using SdServerless.Functions.Console;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.RateLimits;
using SdServerless.Functions.Retention;
using SdServerless.Functions.Tasks.Api;
using SdServerless.Functions.Uploads;
using SdServerless.Functions.Usage;
using SdServerless.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddLocalRateLimit();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi(options => options.AddDocumentTransformer<ApiKeySecurityTransformer>());

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseLocalRateLimit();
app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapScalarApiReference("/docs");
app.MapTasksApi();
app.MapUploadsApi();
app.MapUsageApi();
app.MapTaskEventsApi();
app.MapRetentionApi();
app.MapRuntimesApi();
app.MapCallerApi();
app.MapWebhookSecretsApi();
app.MapOutputTextApi();
app.MapGuidanceApi();
app.MapEventsApi();
app.MapConsoleApi();

app.Run();
