using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tests.Tasks.Validation;

public class OutboundUrlPolicyTests
{
    private static readonly OutboundUrlPolicy Strict = new(allowLoopback: false);
    private static readonly OutboundUrlPolicy LocalDev = new(allowLoopback: true);

    [Theory]
    [InlineData("https://hooks.example.com/sd")]
    [InlineData("https://93.184.216.34/callback")]
    [InlineData("https://[2606:4700::1111]/x")]
    public void PublicHttpsUrlsAreAccepted(string url) => Assert.Null(Strict.Check(url));

    [Theory]
    [InlineData("http://hooks.example.com/sd", "https")]
    [InlineData("ftp://example.com/a", "scheme")]
    [InlineData("file:///etc/passwd", "scheme")]
    [InlineData("gopher://example.com/", "scheme")]
    [InlineData("https://169.254.169.254/latest/meta-data", "non-public")]
    [InlineData("https://10.0.0.8/hook", "non-public")]
    [InlineData("https://172.20.1.1/hook", "non-public")]
    [InlineData("https://192.168.1.1/hook", "non-public")]
    [InlineData("https://100.64.0.1/hook", "non-public")]
    [InlineData("https://0.0.0.0/hook", "non-public")]
    [InlineData("https://[fd00::1]/hook", "non-public")]
    [InlineData("https://[fe80::1]/hook", "non-public")]
    [InlineData("https://[::ffff:169.254.169.254]/hook", "non-public")]
    [InlineData("https://127.0.0.1/hook", "loopback")]
    [InlineData("https://[::1]/hook", "loopback")]
    [InlineData("https://localhost/hook", "loopback")]
    [InlineData("https://api.localhost/hook", "loopback")]
    [InlineData("https://metadata.google.internal/x", "public host")]
    [InlineData("https://printer.local/x", "public host")]
    [InlineData("https://intranet/x", "public host")]
    [InlineData("https://user:secret@example.com/x", "credentials")]
    [InlineData("not a url", "absolute")]
    public void HostileUrlsAreRefusedOutsideLocalDevMode(string url, string reason)
    {
        var problem = Strict.Check(url);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5999/hook")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://[::1]:8080/hook")]
    public void LocalDevModeAllowsLoopbackHttp(string url) => Assert.Null(LocalDev.Check(url));

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("https://169.254.169.254/hook")]
    public void LocalDevModeStillRefusesOtherHttpAndPrivateAddresses(string url) => Assert.NotNull(LocalDev.Check(url));
}
