using System.Net;
using System.Xml.Linq;

namespace SdServerless.Aws.Sns;

/// <summary>An SNS error answer (its XML <c>Code</c> and <c>Message</c>), or a network failure.</summary>
public sealed class SnsException(
    string action, string code, string message, HttpStatusCode statusCode, bool isTransient, Exception? inner = null)
    : Exception($"SNS {action} failed: {code}: {message}", inner)
{
    private static readonly HashSet<string> TransientCodes =
        ["Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "InternalError", "InternalFailure", "ServiceUnavailable", "KMSThrottling"];

    public string Action { get; } = action;

    public string Code { get; } = code;

    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>True when the same call may succeed if tried again.</summary>
    public bool IsTransient { get; } = isTransient;

    public static SnsException FromResponse(string action, HttpStatusCode status, string body)
    {
        string code = status.ToString(), message = body;
        try
        {
            var error = XDocument.Parse(body).Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? code;
            message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? message;
        }
        catch (System.Xml.XmlException)
        {
            // Not XML (a proxy's error page, say): keep the raw text.
        }
        var transient = (int)status >= 500 || status == HttpStatusCode.TooManyRequests || TransientCodes.Contains(code);
        return new SnsException(action, code, message, status, transient);
    }
}
