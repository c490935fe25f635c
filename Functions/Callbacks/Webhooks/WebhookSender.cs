using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using SdServerless.ServiceDefaults.Net;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>
/// Makes one signed webhook POST. Its HttpClient connects only to addresses the <see cref="OutboundAddressPolicy"/>
/// allows, checked at connect time (so DNS rebinding is caught), follows no redirects and gives up after the timeout.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider time)
{
    public const string UserAgent = "SdServerless-Webhooks/1.0";

    public async Task<WebhookAttempt> SendAsync(
        string url, string webhookId, byte[] body, IReadOnlyList<byte[]> keys, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return WebhookAttempt.Rejected($"callback_url '{url}' is not an http(s) URL.");
        }
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.Add(WebhookHeaders.Id, webhookId);
        request.Headers.Add(WebhookHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookHeaders.Signature, WebhookSigner.Sign(keys, webhookId, timestamp, body));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => WebhookAttempt.Delivered,
                (int)HttpStatusCode.Gone => WebhookAttempt.Rejected("The receiver answered 410 Gone; no more attempts."),
                >= 300 and < 400 => WebhookAttempt.Failed(
                    $"The receiver answered {status} (redirect to '{response.Headers.Location}'); redirects are not followed."),
                _ => WebhookAttempt.Failed($"The receiver answered {status} {response.ReasonPhrase}."),
            };
        }
        catch (HttpRequestException ex) when (FindRefusal(ex) is { } refusal)
        {
            return WebhookAttempt.Rejected($"Not delivered: {refusal.Message}");
        }
        catch (HttpRequestException ex)
        {
            return WebhookAttempt.Failed($"Could not reach the receiver: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return WebhookAttempt.Failed($"The receiver did not answer within {http.Timeout.TotalSeconds:0} s.");
        }
    }

    private static OutboundAddressException? FindRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is OutboundAddressException refusal)
            {
                return refusal;
            }
        }
        return null;
    }
}
