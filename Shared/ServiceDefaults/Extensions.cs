using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SdServerless.Aws.Tracing;

namespace SdServerless.ServiceDefaults;

/// <summary>Health checks and OpenTelemetry shared by every SdServerless service.</summary>
public static class Extensions
{
    /// <summary>Tag that marks a health check as a readiness check (served on <c>/readyz</c>).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Basic defaults plus resilient, instrumented HttpClients.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddBasicServiceDefaults();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

    /// <summary>Health checks and OpenTelemetry only: for services that make no outgoing HTTP calls of their own.</summary>
    public static TBuilder AddBasicServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddDefaultHealthChecks();
        builder.ConfigureOpenTelemetry();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // The AWS SDK traces nothing unless a tracer provider is registered: ours turns its spans into activities.
        AwsSdkTracerProvider.Register();
        // W3C first; on Lambda the invocation's X-Ray trace (x-amzn-lambda-context) becomes the request's parent.
        Sdk.SetDefaultTextMapPropagator(new CompositeTextMapPropagator(
            [new TraceContextPropagator(), new BaggagePropagator(), new Telemetry.LambdaTraceContextPropagator()]));

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(
                    serviceName: builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName,
                    serviceVersion: typeof(Extensions).Assembly.GetName().Version?.ToString())
                .AddAttributes(ResourceAttributes(builder.Configuration)))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentationIfPresent()
                .AddMeter(Telemetry.SdServerlessTelemetry.Name))
            .WithTracing(tracing => tracing
                .AddSource(Telemetry.SdServerlessTelemetry.Name)
                .AddSource(AwsSdkTracerProvider.SourceName)
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/healthz")
                                                && !context.Request.Path.StartsWithSegments("/readyz"))
                // Outgoing calls are traced inside a span (a request, a task); background polling alone starts no traces.
                .AddHttpClientInstrumentation(options => options.FilterHttpRequestMessage = _ => Activity.Current is { ParentSpanId: var parent } && parent != default));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>Maps <c>/healthz</c> (the process is alive) and <c>/readyz</c> (every readiness check passes), in every environment.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) || check.Tags.Contains("live") });
        return app;
    }

    private static IEnumerable<KeyValuePair<string, object>> ResourceAttributes(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        yield return new("deployment.environment.name", configuration["DOTNET_ENVIRONMENT"] ?? configuration["ASPNETCORE_ENVIRONMENT"] ?? "Production");
        if (configuration["Worker:Runtime"] is { Length: > 0 } runtime)
        {
            yield return new("sdserverless.runtime", runtime);
        }
        if (configuration["AWS_REGION"] is { Length: > 0 } region)
        {
            yield return new("cloud.region", region);
        }
    }

    private static MeterProviderBuilder AddRuntimeInstrumentationIfPresent(this MeterProviderBuilder metrics) =>
        metrics.AddMeter("System.Runtime");
}
