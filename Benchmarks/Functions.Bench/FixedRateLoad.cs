using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace SdServerless.Functions.Bench;

/// <summary>
/// Open-loop load: submits at a fixed rate whatever the answers do, and measures each latency from the moment the
/// request was due, so a stall counts against every request it delays (no coordinated omission).
/// </summary>
public static class FixedRateLoad
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"prompt":"a lighthouse at dusk, oil painting","steps":20,"width":512,"height":512,"seed":42}""");

    public static async Task<LatencySummary> RunAsync(Uri address, int perSecond, TimeSpan duration)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var latencies = new ConcurrentBag<double>();
        var failed = 0;
        var total = (int)(perSecond * duration.TotalSeconds);
        var inFlight = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            inFlight.Add(SendAsync(due));
        }
        await Task.WhenAll(inFlight);
        var elapsed = clock.Elapsed;
        return LatencySummary.From(latencies, failed, elapsed);

        async Task SendAsync(TimeSpan due)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = new ByteArrayContent(Body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add("x-api-key", "local-dev-key");
                using var response = await http.SendAsync(request);
                if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
                {
                    latencies.Add((clock.Elapsed - due).TotalMilliseconds);
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Counted below.
            }
            Interlocked.Increment(ref failed);
        }
    }
}
