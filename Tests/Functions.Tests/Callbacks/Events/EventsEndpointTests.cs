using System.Net;
using System.Text;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Callbacks.Events;

/// <summary>The API function (no Events settings) has no /events: results cannot be forged through the API.</summary>
[Collection(ApiCollection.Name)]
public class EventsEndpointTests(ApiFixture fixture)
{
    [Fact]
    public async Task EventsAreNotServedWithoutTheSetting()
    {
        using var client = fixture.Client();

        using var response = await client.PostAsync("/events", new StringContent("""{"Records":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
