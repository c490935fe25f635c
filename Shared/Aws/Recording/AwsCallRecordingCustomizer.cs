using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace SdServerless.Aws.Recording;

/// <summary>
/// Puts <see cref="AwsCallRecordingHandler"/> at the top of every AWS SDK client's pipeline once. The handler records only
/// the calls of clients whose configuration was handed to <see cref="Watch"/>, so a test's own clients in the same process
/// (and one deployable's clients beside another's) are kept apart.
/// </summary>
public sealed class AwsCallRecordingCustomizer : IRuntimePipelineCustomizer
{
    private static readonly ConditionalWeakTable<IClientConfig, AwsCallLog> Logs = [];
    private static readonly Lazy<bool> Registered = new(() =>
    {
        RuntimePipelineCustomizerRegistry.Instance.Register(new AwsCallRecordingCustomizer());
        return true;
    });

    public string UniqueName => "SdServerless AWS call recording";

    /// <summary>Records every call made by clients built with <paramref name="config"/> into <paramref name="log"/>; call before the client is built.</summary>
    public static void Watch(IClientConfig config, AwsCallLog log)
    {
        _ = Registered.Value;
        Logs.AddOrUpdate(config, log);
    }

    public void Customize(Type type, RuntimePipeline pipeline) => pipeline.AddHandler(new AwsCallRecordingHandler(Logs));

    private sealed class AwsCallRecordingHandler(ConditionalWeakTable<IClientConfig, AwsCallLog> logs) : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            Record(executionContext);
            base.InvokeSync(executionContext);
        }

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            var log = Record(executionContext);
            try
            {
                return await base.InvokeAsync<T>(executionContext);
            }
            catch (AmazonServiceException ex) when (log is not null && ex.StatusCode == HttpStatusCode.NotFound
                                                    && AwsCallDescriber.DescribeNotFound(executionContext.RequestContext.OriginalRequest) is { } needed)
            {
                // AWS answers 404 only where the caller may also list the bucket; without that it answers 403.
                log.Record(needed.Action, needed.Resource);
                throw;
            }
        }

        private AwsCallLog? Record(IExecutionContext executionContext)
        {
            var context = executionContext.RequestContext;
            if (!logs.TryGetValue(context.ClientConfig, out var log))
            {
                return null;
            }
            foreach (var (action, resource, keys) in AwsCallDescriber.Describe(context.OriginalRequest, log.Region, log.Account))
            {
                log.Record(action, resource, keys);
            }
            return log;
        }
    }
}
