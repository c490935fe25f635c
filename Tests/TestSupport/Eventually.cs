using Xunit;
namespace SdServerless.TestSupport;

/// <summary>Polls a condition until it holds or a generous deadline passes (a deadline to end a hung test, not a speed assertion).</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, int seconds = 60) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}.");
    }

    public static async Task TrueAsync(Func<Task<bool>> probe, string what, int seconds = 60) =>
        await GetAsync<object>(async () => await probe() ? new object() : null, what, seconds);
}
