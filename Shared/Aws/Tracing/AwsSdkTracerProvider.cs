using System.Diagnostics;
using Amazon.Runtime.Telemetry;
using Amazon.Runtime.Telemetry.Tracing;

namespace SdServerless.Aws.Tracing;

/// <summary>
/// Bridges the AWS SDK's tracing abstraction (which emits nothing unless a provider is registered) to
/// <see cref="ActivitySource"/>, so every SDK call becomes a client span (for example <c>SQS.ReceiveMessage</c>) in the same
/// trace as the code that made it. Register once with <see cref="Register"/>; listen to <see cref="SourceName"/>.
/// </summary>
public sealed class AwsSdkTracerProvider : TracerProvider
{
    public const string SourceName = "AWSSDK";

    private static readonly ActivitySource Source = new(SourceName);
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            Amazon.AWSConfigs.TelemetryProvider.RegisterTracerProvider(new AwsSdkTracerProvider());
        }
    }

    /// <summary>A span for a call our own clients make (the SNS client), on the same source as the SDK's spans.</summary>
    public static Activity? StartClientSpan(string name, ActivityKind kind = ActivityKind.Client)
    {
        var activity = Source.StartActivity(name, kind);
        activity?.SetTag("rpc.system", "aws-api");
        activity?.SetTag("rpc.service", name[..Math.Max(0, name.IndexOf('.'))]);
        activity?.SetTag("rpc.method", name[(name.IndexOf('.') + 1)..]);
        return activity;
    }

    public override Tracer GetTracer(string scope) => new ActivityTracer();

    public override Tracer GetTracer(string scope, Attributes attributes) => new ActivityTracer();

    private sealed class ActivityTracer : Tracer
    {
        public override TraceSpan CreateSpan(string name, Attributes? initialAttributes = null, Amazon.Runtime.Telemetry.Tracing.SpanKind spanKind = Amazon.Runtime.Telemetry.Tracing.SpanKind.INTERNAL, SpanContext? parentContext = null)
        {
            var kind = spanKind switch
            {
                Amazon.Runtime.Telemetry.Tracing.SpanKind.CLIENT => ActivityKind.Client,
                Amazon.Runtime.Telemetry.Tracing.SpanKind.SERVER => ActivityKind.Server,
                Amazon.Runtime.Telemetry.Tracing.SpanKind.PRODUCER => ActivityKind.Producer,
                Amazon.Runtime.Telemetry.Tracing.SpanKind.CONSUMER => ActivityKind.Consumer,
                _ => ActivityKind.Internal,
            };
            // SDK calls are traced inside the work that makes them; an idle poll loop's calls start no traces of their own.
            var activity = Activity.Current is null ? null : Source.StartActivity(name, kind);
            if (activity is not null && initialAttributes is not null)
            {
                foreach (var (key, value) in initialAttributes.AllAttributes)
                {
                    activity.SetTag(key, value);
                }
            }
            return new ActivitySpan(name, activity);
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    private sealed class ActivitySpan : TraceSpan
    {
        private readonly Activity? activity;

        public ActivitySpan(string name, Activity? activity)
        {
            Name = name;
            this.activity = activity;
        }

        public override void SetAttribute(string key, object value) => activity?.SetTag(key, value);

        public override void EmitEvent(string name, Attributes? attributes = null) =>
            activity?.AddEvent(new ActivityEvent(name, tags: attributes is null ? default : new ActivityTagsCollection(attributes.AllAttributes!)));

        public override void RecordException(Exception exception, Attributes? attributes = null) => activity?.AddException(exception);

        public override void SetStatus(SpanStatus status) =>
            activity?.SetStatus(status switch { SpanStatus.OK => ActivityStatusCode.Ok, SpanStatus.ERROR => ActivityStatusCode.Error, _ => ActivityStatusCode.Unset });

        public override void End() => activity?.Stop();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                activity?.Dispose();
            }
        }
    }
}
