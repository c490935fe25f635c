using System.Net;
using SdServerless.ServiceDefaults.Net;

namespace SdServerless.Shared.Tests.Net;

public class AddressClassifierTests
{
    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("::8.8.8.8")]
    public void PublicAddressesArePublic(string address) => Assert.True(AddressClassifier.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("::169.254.169.254")]
    [InlineData("::10.0.0.1")]
    [InlineData("10.255.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.127.0.1")]
    [InlineData("198.18.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fc00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:a00:1::")]
    [InlineData("2001:db8::1")]
    public void NonPublicAddressesAreNot(string address) => Assert.False(AddressClassifier.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::127.0.0.1", true)]
    [InlineData("::127.1.2.3", true)]
    [InlineData("::", false)]
    [InlineData("::10.0.0.1", false)]
    [InlineData("::8.8.8.8", false)]
    public void AnIPv4InsideIPv6IsLoopbackWhenTheIPv4Is(string address, bool loopback) =>
        Assert.Equal(loopback, AddressClassifier.IsLoopback(IPAddress.Parse(address)));
}
