namespace SdServerless.Functions.Quotas;

/// <summary>Why a submission is over quota: the limit's name (<c>max_in_flight</c>, <c>max_per_day</c>), its value, the count reached and when to try again.</summary>
public sealed record QuotaRefusal(string Limit, int Value, int Current, int RetryAfterSeconds);
