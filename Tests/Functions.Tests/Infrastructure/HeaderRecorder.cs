using System.Collections.Concurrent;

namespace SdServerless.Functions.Tests.Infrastructure;

/// <summary>Passes requests through unchanged, noting the values of one header.</summary>
public sealed class HeaderRecorder(string header) : DelegatingHandler
{
    public ConcurrentQueue<string> Values { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.TryGetValues(header, out var values))
        {
            foreach (var value in values)
            {
                Values.Enqueue(value);
            }
        }
        return base.SendAsync(request, cancellationToken);
    }
}
