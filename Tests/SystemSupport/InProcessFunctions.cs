extern alias functions;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SdServerless.SystemSupport;

/// <summary>
/// The Functions app on Kestrel on 127.0.0.1 (so browsers and other processes reach it) with a stack's service
/// environment, in local dev mode with the local event poller, as the AppHost runs it; <c>configure</c> adds a test's
/// own settings and services.
/// </summary>
public sealed class InProcessFunctions : IAsyncDisposable
{
    private readonly WebApplicationFactory<functions::Program> _factory;

    private InProcessFunctions(WebApplicationFactory<functions::Program> factory) => _factory = factory;

    public static InProcessFunctions Start(IReadOnlyDictionary<string, string?> environment, Action<IWebHostBuilder>? configure = null)
    {
        var factory = new WebApplicationFactory<functions::Program>().WithWebHostBuilder(host =>
        {
            foreach (var (name, value) in environment)
            {
                host.UseSetting(name, value);
            }
            host.UseSetting("Api:LocalDevMode", "true");
            host.UseSetting("Events:LocalPoller", "true");
            host.UseSetting("Events:LocalPollerWaitSeconds", "1");
            configure?.Invoke(host);
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return new InProcessFunctions(factory);
    }

    /// <summary>A client whose base address is the Kestrel one.</summary>
    public HttpClient CreateClient() => _factory.CreateClient();

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
