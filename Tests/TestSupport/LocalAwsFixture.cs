using Xunit;
using SdServerless.LocalAws.Emulators;

namespace SdServerless.TestSupport;

/// <summary>Starts both emulators on free loopback ports with serverless.template provisioned; stops them afterwards.</summary>
public class LocalAwsFixture : IAsyncLifetime
{
    private LocalAwsStack? _stack;

    public LocalAwsStack Stack => _stack ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>Template parameters for this fixture (override to test other settings).</summary>
    protected virtual IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string>();

    public virtual async Task InitializeAsync() => _stack = await LocalAwsStack.StartAsync(Parameters);

    public virtual async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
