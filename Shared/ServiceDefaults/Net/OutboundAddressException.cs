namespace SdServerless.ServiceDefaults.Net;

/// <summary>A URL whose host is not a public address, or cannot be resolved.</summary>
public sealed class OutboundAddressException(string message, Exception? inner = null) : Exception(message, inner);
